package dev.jobengine;

import java.io.Serializable;

/** The body of an {@link EngineProcess}; runs in its own JVM. */
@FunctionalInterface
public interface Job extends Serializable {
  void run() throws Exception;
}
