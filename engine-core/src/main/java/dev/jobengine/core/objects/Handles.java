package dev.jobengine.core.objects;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Where a deserialized handle finds its engine: each engine in this JVM (the master's, or the one
 * a worker belongs to) registers its {@link ObjectAccess} under its hub address.
 */
public final class Handles {
  private static final Map<String, ObjectAccess> ENGINES = new ConcurrentHashMap<>();

  private Handles() {}

  public static void register(String engineKey, ObjectAccess access) {
    ENGINES.put(engineKey, access);
  }

  public static void unregister(String engineKey) {
    ENGINES.remove(engineKey);
  }

  static ObjectAccess access(String engineKey) {
    ObjectAccess access = ENGINES.get(engineKey);
    if (access == null) {
      throw new IllegalStateException(
          "a shared-object handle of engine " + engineKey + " arrived in a JVM that does not belong to it"
              + " (or the engine is closed)");
    }
    return access;
  }
}
