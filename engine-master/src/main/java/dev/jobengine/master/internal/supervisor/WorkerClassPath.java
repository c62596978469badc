package dev.jobengine.master.internal.supervisor;

import dev.jobengine.Engine;
import dev.jobengine.core.WorkerConfig;
import dev.jobengine.core.code.ClassPathArtifacts;
import dev.jobengine.proto.Artifact;
import dev.jobengine.proto.MasterMessage;
import java.io.File;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * How a worker JVM's class path is made: it boots on the engine's own jars (the engine, gRPC,
 * Netty, protobuf, SLF4J and its back end, and a codec of the application's own if one is used),
 * and the application's entries reach it through each lease's class loader ({@code Serve}). So
 * one class-data archive serves every application whatever its class path holds (directories
 * included), a standby worker serves any pool, and one worker JVM serves pools of different class
 * paths over its life. Only the default class path (the master's {@code java.class.path}) is split;
 * a pool that sets its own boots on it as it is. {@code -Djobengine.splitClassPath=false} boots
 * every worker on the whole class path, as before.
 */
public final class WorkerClassPath {
  private static final boolean ENABLED = Boolean.parseBoolean(System.getProperty("jobengine.splitClassPath", "true"));
  private static final Map<String, WorkerClassPath> CACHE = new ConcurrentHashMap<>();

  private final String boot;
  private final List<Artifact> application;

  private WorkerClassPath(String boot, List<Artifact> application) {
    this.boot = boot;
    this.application = List.copyOf(application);
  }

  /** The class path the JVM starts with. */
  public String boot() {
    return boot;
  }

  /** The entries each lease loads, where they are. */
  public List<Artifact> application() {
    return application;
  }

  /** For a worker whose pool asked for {@code classPath}, with the engine's codec {@code codecClass}. */
  public static WorkerClassPath of(String classPath, String codecClass) {
    if (!ENABLED || !classPath.equals(System.getProperty("java.class.path"))) {
      return new WorkerClassPath(classPath, List.of());
    }
    return CACHE.computeIfAbsent(classPath + File.pathSeparator + codecClass, k -> split(classPath, codecClass));
  }

  private static WorkerClassPath split(String classPath, String codecClass) {
    Set<Path> engine = new LinkedHashSet<>();
    for (String marker : List.of(WorkerConfig.MAIN_CLASS, WorkerConfig.class.getName(), Engine.class.getName(),
        MasterMessage.class.getName(), "dev.jobengine.master.MasterEngineProvider", codecClass)) {
      Path p = codeSource(marker);
      if (p != null) {
        engine.add(p);
      }
    }
    List<String> boot = new ArrayList<>();
    List<Artifact> application = new ArrayList<>();
    for (String entry : classPath.split(File.pathSeparator)) {
      if (entry.isBlank()) {
        continue;
      }
      Path p = Path.of(entry).toAbsolutePath().normalize();
      if (engine.contains(p) || (Files.isRegularFile(p) && ClassPathArtifacts.isEngineJar(p))) {
        boot.add(entry);
      } else if (Files.exists(p)) {
        application.add(Artifact.newBuilder().setPath(p.toString()).setName(p.getFileName().toString()).build());
      }
    }
    if (boot.isEmpty()) { // the engine is not on it as separate entries: boot on all of it
      return new WorkerClassPath(classPath, List.of());
    }
    return new WorkerClassPath(String.join(File.pathSeparator, boot), application);
  }

  /** Where the class is loaded from (a jar or directory), or null. */
  private static Path codeSource(String className) {
    try {
      Class<?> c = Class.forName(className, false, WorkerClassPath.class.getClassLoader());
      var source = c.getProtectionDomain().getCodeSource();
      return source == null ? null : Path.of(source.getLocation().toURI()).toAbsolutePath().normalize();
    } catch (ClassNotFoundException | LinkageError | URISyntaxException | SecurityException | IllegalArgumentException e) {
      return null;
    }
  }
}
