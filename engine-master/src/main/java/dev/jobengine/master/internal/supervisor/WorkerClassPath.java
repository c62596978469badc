package dev.jobengine.master.internal.supervisor;

import dev.jobengine.Engine;
import dev.jobengine.JobEngineException;
import dev.jobengine.PoolOptions;
import dev.jobengine.core.WorkerConfig;
import dev.jobengine.core.code.ClassPathArtifacts;
import dev.jobengine.core.code.LoaderClassPath;
import dev.jobengine.proto.Artifact;
import dev.jobengine.proto.MasterMessage;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * How a worker JVM's class path is made. It boots on the engine's own jars (the engine, gRPC,
 * Netty, protobuf, SLF4J and its back end, and a codec of the application's own if one is used),
 * found from where the engine's classes were loaded; the application's code reaches it through
 * each lease's class loader ({@code Serve}): the files of the class loaders that loaded the
 * application ({@link LoaderClassPath}), and, for loaders whose classes are in no file, their
 * bytes on request. So one class-data archive serves every application whatever its class path
 * holds (directories included), whatever launched it; a standby worker serves any pool; one
 * worker JVM serves pools of different class paths over its life. A pool that sets its own
 * {@link PoolOptions#classPath()} boots on it as it is. {@code -Djobengine.splitClassPath=false}
 * boots every worker on the master's whole {@code java.class.path}, as before.
 */
public final class WorkerClassPath {
  private static final boolean ENABLED = Boolean.parseBoolean(System.getProperty("jobengine.splitClassPath", "true"));
  private static final Map<String, List<Path>> ENGINE = new ConcurrentHashMap<>();

  private final String boot;
  private final List<Artifact> application;
  private final List<ClassLoader> served;

  private WorkerClassPath(String boot, List<Artifact> application, List<ClassLoader> served) {
    this.boot = boot;
    this.application = List.copyOf(application);
    this.served = List.copyOf(served);
  }

  /** The class path the JVM starts with. */
  public String boot() {
    return boot;
  }

  /** The entries each lease loads, where they are. */
  public List<Artifact> application() {
    return application;
  }

  /** The loaders whose classes are in no file: a lease asks the master for their bytes. */
  public List<ClassLoader> served() {
    return served;
  }

  /**
   * The class path a worker of a pool with {@code options} boots on: the pool's own, or the
   * engine's jars. Throws JobEngineException when the engine's jars cannot be found as files.
   */
  public static String boot(PoolOptions options, String codecClass) {
    if (options.classPath() != null) {
      return options.classPath();
    }
    if (!ENABLED) {
      return System.getProperty("java.class.path");
    }
    return join(engine(codecClass));
  }

  /**
   * For a pool with {@code options} whose application classes come from {@code loaders}, with
   * the engine's codec {@code codecClass}. Throws JobEngineException when the code cannot be
   * found.
   */
  public static WorkerClassPath of(PoolOptions options, Collection<ClassLoader> loaders, String codecClass) {
    if (options.classPath() != null) {
      return new WorkerClassPath(options.classPath(), List.of(), List.of());
    }
    String boot = boot(options, codecClass);
    Set<Path> booted = new LinkedHashSet<>();
    for (String e : boot.split(File.pathSeparator)) {
      if (!e.isBlank()) {
        booted.add(Path.of(e).toAbsolutePath().normalize());
      }
    }
    LoaderClassPath.Result found = LoaderClassPath.of(loaders);
    List<Artifact> application = new ArrayList<>();
    for (Path p : found.entries()) {
      if (booted.contains(p) || (Files.isRegularFile(p) && ClassPathArtifacts.isEngineJar(p))) {
        continue;
      }
      application.add(Artifact.newBuilder().setPath(p.toString()).setName(p.getFileName().toString()).build());
    }
    return new WorkerClassPath(boot, application, found.served());
  }

  /** The engine's own jars, as files. */
  private static List<Path> engine(String codecClass) {
    List<Path> known = ENGINE.get(codecClass);
    if (known != null) {
      return known;
    }
    Set<Path> engine = new LinkedHashSet<>();
    List<Class<?>> markers = new ArrayList<>(List.of(WorkerConfig.class, Engine.class, MasterMessage.class,
        WorkerClassPath.class, io.grpc.Channel.class, io.netty.channel.Channel.class, com.google.protobuf.Message.class,
        org.slf4j.Logger.class));
    for (String name : List.of(WorkerConfig.MAIN_CLASS, codecClass)) {
      try {
        markers.add(Class.forName(name, false, WorkerClassPath.class.getClassLoader()));
      } catch (ClassNotFoundException | LinkageError e) {
        throw new JobEngineException("cannot find " + name + " to start workers with it", e);
      }
    }
    for (Class<?> c : markers) {
      Path p = LoaderClassPath.codeSource(c);
      if (p == null) {
        throw new JobEngineException("cannot find the jar of " + c.getName() + " (loaded from "
            + c.getProtectionDomain().getCodeSource() + ") as a file to start workers with; set PoolOptions.classPath"
            + " to a class path holding the engine and the application");
      }
      engine.add(p);
    }
    // the libraries the engine runs on, as far as the engine's own loader tells
    for (Path p : LoaderClassPath.of(List.of(WorkerClassPath.class.getClassLoader())).entries()) {
      if (Files.isRegularFile(p) && ClassPathArtifacts.isEngineJar(p)) {
        engine.add(p);
      }
    }
    List<Path> out = List.copyOf(engine);
    ENGINE.put(codecClass, out);
    return out;
  }

  private static String join(List<Path> paths) {
    List<String> s = new ArrayList<>();
    for (Path p : paths) {
      s.add(p.toString());
    }
    return String.join(File.pathSeparator, s);
  }
}
