package dev.jobengine.master.contract;

import dev.jobengine.Engine;
import java.io.Serializable;

/**
 * The body of a contract test: uses shared objects of {@code engine} whose names start with {@code
 * prefix} (fresh for each test). Serializable, so that a worker can run it.
 */
@FunctionalInterface
public interface Scenario extends Serializable {
  void run(Engine engine, String prefix) throws Exception;
}
