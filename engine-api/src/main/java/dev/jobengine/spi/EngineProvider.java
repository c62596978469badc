package dev.jobengine.spi;

import dev.jobengine.Engine;
import dev.jobengine.EngineOptions;

/**
 * Service-provider interface through which {@link Engine}'s static methods find the implementation:
 * the first provider {@link java.util.ServiceLoader} finds (with the class loader of {@code
 * Engine}) serves every call. {@code engine-master} provides one; applications do not implement
 * it.
 */
public interface EngineProvider {
  /**
   * Starts an embedded master, as {@link Engine#start(EngineOptions)} documents.
   *
   * @param options the engine's settings
   * @return the running engine
   */
  Engine start(EngineOptions options);

  /**
   * Connects to a running daemon, as {@link Engine#connect(String, byte[])} documents.
   *
   * @param target {@code "host:port"} or {@code "tls:host:port"}
   * @param authkey the daemon's key
   * @return the connected engine
   */
  Engine connect(String target, byte[] authkey);

  /**
   * The engine of the worker this code runs in, as {@link Engine#current()} documents.
   *
   * @return the worker's engine
   * @throws IllegalStateException outside a worker JVM
   */
  Engine current();
}
