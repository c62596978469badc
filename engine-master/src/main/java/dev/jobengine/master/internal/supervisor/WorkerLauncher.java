package dev.jobengine.master.internal.supervisor;

import dev.jobengine.PoolOptions;
import dev.jobengine.core.WorkerConfig;
import dev.jobengine.core.wire.AuthToken;
import dev.jobengine.core.wire.Transports;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executor;

/**
 * Starts worker JVMs: {@code <java.home>/bin/java <jvm options> -cp <class path> WorkerMain ...}
 * with the same JDK as the master. The token proving the authkey (not the key: the worker needs
 * nothing else, and no cryptography of its own) goes through the child's standard input, which stays
 * open for the worker's life (its end tells the worker that the master is gone). Runs on the
 * supervisor's launcher thread: a fork and the class-data archive's file work take milliseconds.
 */
public final class WorkerLauncher {
  /**
   * On newer JDKs (the workers run the master's), let Netty's native transport and protobuf work
   * without warnings on every worker's console.
   */
  static final List<String> NEWER_JDK_OPTIONS = newerJdkOptions(Runtime.version().feature());

  static List<String> newerJdkOptions(int feature) {
    List<String> options = new ArrayList<>();
    if (feature >= 22) {
      options.add("--enable-native-access=ALL-UNNAMED");
    }
    if (feature >= 23) {
      options.add("--sun-misc-unsafe-memory-access=allow");
    }
    return List.copyOf(options);
  }

  /** System properties of the master that workers get too (logging set-up, Netty's JFR events). */
  private static final List<String> FORWARDED_PROPERTIES =
      List.of("logback.configurationFile", "jobengine.log.file", Transports.NETTY_JFR_PROPERTY);

  private final String hubAddress;
  private final byte[] token;
  private final String codecClass;
  private final int maxPayloadBytes;
  private final String allowedClasses;
  private volatile String codeDir;

  public WorkerLauncher(String hubAddress, byte[] authkey, String codecClass, int maxPayloadBytes) {
    this(hubAddress, authkey, codecClass, maxPayloadBytes, null);
  }

  /** {@code allowedClasses}: the engine's class allow-list, which workers apply too; null for any class. */
  public WorkerLauncher(
      String hubAddress, byte[] authkey, String codecClass, int maxPayloadBytes, String allowedClasses) {
    this.hubAddress = hubAddress;
    this.token = AuthToken.token(authkey);
    this.codecClass = codecClass;
    this.maxPayloadBytes = maxPayloadBytes;
    this.allowedClasses = allowedClasses;
  }

  /** Where the workers find the jars of leases (a daemon's store); null for none. */
  public void codeDir(String dir) {
    this.codeDir = dir;
  }

  /** The Logback configuration the master's class path holds (as Logback looks for it), or null. */
  private static final String LOGBACK_CONFIG = logbackConfig();

  private static String logbackConfig() {
    ClassLoader loader = WorkerLauncher.class.getClassLoader();
    for (String name : List.of("logback-test.xml", "logback.xml")) {
      java.net.URL url = loader.getResource(name);
      if (url != null) {
        return url.toString();
      }
    }
    return null;
  }

  /**
   * What a lease of a pool with these options, whose application classes come from
   * {@code loaders}, loads. Throws JobEngineException when its code cannot be found.
   */
  public WorkerClassPath applicationClassPath(PoolOptions options, java.util.Collection<ClassLoader> loaders) {
    return WorkerClassPath.of(options, loaders, codecClass);
  }

  public static String javaExecutable() {
    return Path.of(System.getProperty("java.home"), "bin", "java").toString();
  }

  List<String> command(PoolOptions options, int workerId, boolean warmUp, List<String> extraJvmOptions) {
    return command(options, options.jvmOptions(), workerId, warmUp, extraJvmOptions);
  }

  private List<String> command(
      PoolOptions options, List<String> jvmOptions, int workerId, boolean warmUp, List<String> extraJvmOptions) {
    List<String> cmd = new ArrayList<>();
    cmd.add(javaExecutable());
    cmd.addAll(NEWER_JDK_OPTIONS);
    cmd.addAll(jvmOptions);
    cmd.addAll(extraJvmOptions);
    cmd.addAll(NativeTransport.jvmOptions(jvmOptions));
    for (String property : FORWARDED_PROPERTIES) {
      String value = System.getProperty(property);
      if (value != null) {
        cmd.add("-D" + property + "=" + value);
      }
    }
    String classPath = WorkerClassPath.boot(options, codecClass);
    if (System.getProperty("logback.configurationFile") == null
        && !classPath.equals(System.getProperty("java.class.path"))) {
      String config = LOGBACK_CONFIG; // where the master's Logback found its configuration, maybe beyond the boot path
      if (config != null) {
        cmd.add("-Dlogback.configurationFile=" + config);
      }
    }
    cmd.add("-cp");
    cmd.add(classPath);
    cmd.add(WorkerConfig.MAIN_CLASS);
    WorkerConfig config = new WorkerConfig(
        hubAddress, workerId, codecClass, maxPayloadBytes, ProcessHandle.current().pid(), warmUp, allowedClasses, codeDir);
    cmd.addAll(List.of(config.toArgs()));
    return cmd;
  }

  /**
   * Starts the JVM and hands it the token; the returned stream is the child's stdin, kept open.
   * Once connected, the worker serves a pool unless told to become a process. A {@code standby}
   * worker is started ahead of need, and warms up while it waits. {@code injected}: JVM options
   * a fault injection adds.
   */
  Started launch(PoolOptions options, int workerId, boolean standby, Executor fileIo, List<String> injected)
      throws IOException {
    ClassDataSharing.Use cds = ClassDataSharing.forWorkerBootingOn(options, WorkerClassPath.boot(options, codecClass));
    List<String> extra = new ArrayList<>(cds.jvmOptions());
    extra.addAll(injected);
    // a standby worker warms up while it waits; the one recording the archive, so that it holds the task path
    ProcessBuilder pb =
        new ProcessBuilder(command(options, cds.adapt(options.jvmOptions()), workerId, standby || cds.recording(), extra));
    // stdout and stderr stay pipes, read by WorkerOutput in every mode
    Process process;
    try {
      process = pb.start();
    } catch (IOException e) {
      cds.onExit().run();
      throw e;
    }
    process.onExit().thenRun(() -> fileIo.execute(cds.onExit()));
    WorkerOutput output =
        WorkerOutput.start(process, options.output(), "[worker-" + workerId + " " + process.pid() + "] ");
    OutputStream stdin = process.getOutputStream();
    try {
      stdin.write((AuthToken.encodeKey(token) + "\n").getBytes(StandardCharsets.US_ASCII));
      stdin.flush();
    } catch (IOException e) {
      // the child died at once; its exit is reported through onExit like any other
    }
    return new Started(process, stdin, output, cds.recording());
  }

  /**
   * A started worker JVM: its process, its stdin (kept open), what reads its output, and whether
   * it records class data as it exits (which takes it seconds).
   */
  record Started(Process process, OutputStream stdin, WorkerOutput output, boolean recordsClassData) {}
}
