package dev.jobengine.spi;

import dev.jobengine.Engine;
import dev.jobengine.EngineOptions;

/** Service-provider interface through which {@link Engine}'s static methods find the implementation. */
public interface EngineProvider {
  Engine start(EngineOptions options);

  Engine connect(String target, byte[] authkey);

  Engine current();
}
