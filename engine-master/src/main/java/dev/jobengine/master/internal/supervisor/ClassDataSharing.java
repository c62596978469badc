package dev.jobengine.master.internal.supervisor;

import dev.jobengine.PoolOptions;
import dev.jobengine.core.NamedThreadFactory;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An application class-data-sharing archive for worker JVMs, made once and reused: the first
 * worker for a given JDK, class path and JVM options records the classes it loaded when it exits
 * ({@code -XX:ArchiveClassesAtExit}); later workers map them ({@code -XX:SharedArchiveFile}) and
 * start faster. On JDK 25 and later it is an AOT cache instead ({@link #AOT_CACHE}): the first
 * worker records with {@code -XX:AOTMode=record}, and when it has exited the master runs the
 * short JVM that assembles the cache ({@code -XX:AOTMode=create}); later workers start with {@code
 * -XX:AOTCache}, their classes loaded and linked and the recording's method profiles at hand. The recording worker warms up (as a standby worker does) so that the archive holds
 * the task path even if that worker never gets a task. Archives live in {@code ~/.cache/jobengine/cds} (private to the user, since the JVM
 * trusts what it maps). Used only when every entry of the class path the worker boots on is a jar
 * (the JVM cannot archive from directories; the application's own entries come later, through a
 * lease's class loader, see {@link WorkerClassPath}), and not when the JVM options choose their own
 * sharing. {@code -Djobengine.cds=false}
 * turns it off.
 */
final class ClassDataSharing {
  private static final Logger log = LoggerFactory.getLogger(ClassDataSharing.class);
  private static final boolean ENABLED = Boolean.parseBoolean(System.getProperty("jobengine.cds", "true"));
  /** Archives being recorded by a worker of this JVM: one recording per archive at a time. */
  private static final Map<Path, Boolean> RECORDING = new ConcurrentHashMap<>();
  /** The JVM's CDS messages would land on the workers' console. */
  private static final String QUIET = "-Xlog:cds*=off";
  private static final String QUIET_AOT = "-Xlog:aot*=off";
  /**
   * JDK 25 and later: an AOT cache (JEP 483, 514, 515: classes loaded and linked, and method
   * profiles) instead of a dynamic archive. {@code -Djobengine.aotCache=false} keeps the dynamic
   * archive. On JDK 25.0.3 a worker recording a dynamic archive crashed once in the JVM's lambda
   * proxy lookup; the AOT cache's recording does not take that path.
   */
  static final boolean AOT_CACHE = Runtime.version().feature() >= 25
      && Boolean.parseBoolean(System.getProperty("jobengine.aotCache", "true"));
  /** The warm-up of a worker recording an AOT cache (see the worker's WarmUp): its method profiles. */
  static final String TRAINING_ROUNDS = "jobengine.warmUpRounds=3000";
  /** Longest an AOT cache assembly may take; it takes 1-3 s on 2 cores. */
  static final java.time.Duration ASSEMBLY_BOUND = java.time.Duration.ofSeconds(60);

  /**
   * JVM options for one worker, and what to do when it exits (file work of milliseconds; an AOT
   * cache's assembly is started, and waited for on a thread of its own).
   */
  record Use(List<String> jvmOptions, boolean recording, Runnable onExit) {
    static final Use NONE = new Use(List.of(), false, () -> {});

    /**
     * The pool's JVM options as this use needs them: an AOT cache's options cannot go with
     * {@code -Xshare:auto} (a default), which they imply anyway.
     */
    List<String> adapt(List<String> poolJvmOptions) {
      return jvmOptions.stream().anyMatch(o -> o.startsWith("-XX:AOT")) ? withoutXshareAuto(poolJvmOptions) : poolJvmOptions;
    }
  }

  private static List<String> withoutXshareAuto(List<String> jvmOptions) {
    return jvmOptions.stream().filter(o -> !o.equals("-Xshare:auto")).toList();
  }

  private ClassDataSharing() {}

  /** For a worker started with {@code options} that boots on {@code classPath}. */
  static Use forWorkerBootingOn(PoolOptions options, String classPath) {
    return ENABLED ? forWorker(options, classPath, privateDirectory(), AOT_CACHE ? ClassDataSharing::assemble : null) : Use.NONE;
  }

  static Use forWorker(PoolOptions options, Path dir) {
    return forWorker(options, options.classPath() != null ? options.classPath() : System.getProperty("java.class.path"), dir, null);
  }

  /**
   * With archives kept in {@code dir} (null: none). {@code assembler} null: a dynamic archive
   * (JDK 17 to 24); else an AOT cache, which {@code assembler} makes from a recorded configuration.
   */
  static Use forWorker(PoolOptions options, String classPath, Path dir, Assembler assembler) {
    if (dir == null || !allJars(classPath) || choosesItsOwnSharing(options.jvmOptions())) {
      return Use.NONE;
    }
    String key = key(classPath, options.jvmOptions());
    Path archive = dir.resolve(key + (assembler == null ? ".jsa" : ".aot"));
    if (Files.isRegularFile(archive)) {
      try {
        Files.setLastModifiedTime(archive, java.nio.file.attribute.FileTime.fromMillis(System.currentTimeMillis()));
      } catch (IOException ignored) {
        // only the clean-up of old archives looks at it
      }
      return new Use(assembler == null
          ? List.of(QUIET, "-XX:SharedArchiveFile=" + archive)
          : List.of(QUIET, QUIET_AOT, "-XX:AOTCache=" + archive), false, () -> {});
    }
    if (RECORDING.putIfAbsent(archive, Boolean.TRUE) != null) {
      return Use.NONE;
    }
    String tmp = "." + ProcessHandle.current().pid() + ".tmp";
    Path recording = dir.resolve(archive.getFileName() + tmp);
    if (assembler == null) {
      return new Use(List.of(QUIET, "-XX:ArchiveClassesAtExit=" + recording), true, () -> saveRecording(recording, archive, dir));
    }
    // The JVM says where it recorded on its stdout, the worker's: -DisplayVMOutput keeps that off it.
    Path configuration = dir.resolve(key + ".aotconf" + tmp);
    List<String> record = List.of(QUIET, QUIET_AOT, "-XX:+UnlockDiagnosticVMOptions", "-XX:-DisplayVMOutput",
        "-XX:AOTMode=record", "-XX:AOTConfiguration=" + configuration, "-D" + TRAINING_ROUNDS);
    Runnable done = () -> {
      try {
        Files.deleteIfExists(configuration);
      } catch (IOException ignored) {
        // a leftover configuration is removed with old archives
      }
      done(recording, archive, dir); // the assembly moved a complete cache into place; the rest goes
    };
    return new Use(record, true, () -> {
      try {
        if (Files.isRegularFile(configuration) && Files.size(configuration) > 0) {
          List<String> create = new ArrayList<>(WorkerLauncher.NEWER_JDK_OPTIONS);
          create.addAll(withoutXshareAuto(options.jvmOptions()));
          create.addAll(List.of(QUIET, QUIET_AOT, "-XX:AOTMode=create", "-XX:AOTConfiguration=" + configuration,
              "-XX:AOTCache=" + recording, "-cp", classPath));
          assembler.assemble(create, configuration, recording, archive, done);
          return;
        }
      } catch (IOException e) {
        log.debug("could not read the recorded AOT configuration {}", configuration, e);
      }
      done.run();
    });
  }

  /**
   * Makes an AOT cache: runs {@code java} with {@code options}, which read {@code configuration}
   * and write the cache to {@code recording}; moves that to {@code archive} once complete, removes
   * the configuration, and then runs {@code done} (which it may do on a thread of its own).
   */
  @FunctionalInterface
  interface Assembler {
    void assemble(List<String> options, Path configuration, Path recording, Path archive, Runnable done);
  }

  /**
   * Starts the JVM that turns a recorded AOT configuration into a cache, as the recording worker's
   * exit is seen, through {@code /bin/sh}, which moves the finished cache into place (and removes
   * the configuration) even if this JVM has exited meanwhile: a program that runs one pool and
   * ends still leaves a cache for its next run. A daemon thread waits for it: it is killed if it
   * takes longer than {@link #ASSEMBLY_BOUND} (the next recording makes the cache again). Output
   * is discarded. Without {@code /bin/sh} no cache is made, and each run records again.
   */
  private static void assemble(List<String> options, Path configuration, Path recording, Path archive, Runnable done) {
    List<String> cmd = new ArrayList<>(List.of("/bin/sh", "-c", "\"$@\" && mv -f -- \"$JOBENGINE_AOT_OUT\" \"$JOBENGINE_AOT_CACHE\"; rm -f -- \"$JOBENGINE_AOT_OUT\" \"$JOBENGINE_AOT_CONF\"",
        "jobengine-aot-cache", WorkerLauncher.javaExecutable()));
    cmd.addAll(options);
    ProcessBuilder pb = new ProcessBuilder(cmd).redirectOutput(ProcessBuilder.Redirect.DISCARD)
        .redirectError(ProcessBuilder.Redirect.DISCARD).redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
    pb.environment().put("JOBENGINE_AOT_OUT", recording.toString());
    pb.environment().put("JOBENGINE_AOT_CACHE", archive.toString());
    pb.environment().put("JOBENGINE_AOT_CONF", configuration.toString());
    Process p;
    try {
      p = pb.start();
    } catch (IOException e) {
      log.debug("could not run the AOT cache assembly", e);
      done.run();
      return;
    }
    NamedThreadFactory.start("jobengine-aot-cache", true, () -> {
      try {
        if (!p.waitFor(ASSEMBLY_BOUND.toMillis(), TimeUnit.MILLISECONDS)) {
          log.debug("the AOT cache assembly took longer than {}: killed", ASSEMBLY_BOUND);
          kill(p);
        } else if (p.exitValue() != 0) {
          log.debug("the AOT cache assembly exited with {}", p.exitValue());
        } else {
          log.debug("worker AOT cache saved as {}", archive);
        }
      } catch (InterruptedException e) {
        kill(p);
      } finally {
        done.run();
      }
    });
  }

  private static void kill(Process p) {
    p.descendants().forEach(ProcessHandle::destroyForcibly);
    p.destroyForcibly();
    try {
      p.waitFor(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** Moves a finished recording into place (atomically: workers may be mapping the old one). */
  private static void saveRecording(Path recording, Path archive, Path dir) {
    try {
      if (Files.isRegularFile(recording) && Files.size(recording) > 0) {
        Files.move(recording, archive, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        log.debug("worker class-data archive saved as {}", archive);
      }
    } catch (IOException e) {
      log.debug("could not save the worker class-data archive {}", archive, e);
    } finally {
      done(recording, archive, dir);
    }
  }

  /** Removes what is left of a recording, and lets the next worker record again if need be. */
  private static void done(Path recording, Path archive, Path dir) {
    if (Files.isRegularFile(archive)) {
      removeStale(dir);
    }
    try {
      Files.deleteIfExists(recording);
    } catch (IOException ignored) {
      // a leftover recording is removed with old archives
    }
    RECORDING.remove(archive);
  }

  /** Archives unused for a week belong to jars or JDKs that are gone or rebuilt. */
  private static void removeStale(Path dir) {
    try {
      dev.jobengine.core.code.Artifacts.removeUnusedForAWeek(dir);
    } catch (IOException e) {
      log.debug("could not clean {}", dir, e);
    }
  }

  static boolean allJars(String classPath) {
    for (String entry : classPath.split(File.pathSeparator)) {
      if (entry.isEmpty() || !entry.endsWith(".jar") || !Files.isRegularFile(Path.of(entry))) {
        return false;
      }
    }
    return true;
  }

  private static boolean choosesItsOwnSharing(List<String> jvmOptions) {
    return jvmOptions.stream().anyMatch(o -> o.contains("SharedArchiveFile") || o.contains("ArchiveClasses") || o.contains("AOTCache")
        || o.contains("AOTMode") || o.contains("AOTConfiguration")
        || o.equals("-Xshare:off") || o.equals("-Xshare:dump"));
  }

  private static String key(String classPath, List<String> jvmOptions) {
    try {
      MessageDigest sha = MessageDigest.getInstance("SHA-256");
      StringBuilder identity = new StringBuilder(String.join("\n", System.getProperty("java.home"),
          System.getProperty("java.vm.version"), classPath, String.join(" ", jvmOptions)));
      // The JVM ignores an archive whose jars changed since it was made: a rebuilt jar needs a new one.
      for (String jar : classPath.split(File.pathSeparator)) {
        try {
          Path p = Path.of(jar);
          identity.append('\n').append(Files.size(p)).append(' ').append(Files.getLastModifiedTime(p).toMillis());
        } catch (IOException e) {
          identity.append("\n?");
        }
      }
      return HexFormat.of().formatHex(sha.digest(identity.toString().getBytes(StandardCharsets.UTF_8))).substring(0, 24);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /** ~/.cache/jobengine/cds, created 0700; null when it cannot be made private to this user. */
  private static Path privateDirectory() {
    try {
      Path dir = Path.of(System.getProperty("user.home"), ".cache", "jobengine", "cds");
      Files.createDirectories(dir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
      Set<PosixFilePermission> perms = Files.getPosixFilePermissions(dir);
      boolean privateToUser = !perms.contains(PosixFilePermission.GROUP_WRITE)
          && !perms.contains(PosixFilePermission.OTHERS_WRITE)
          && Files.getOwner(dir).getName().equals(System.getProperty("user.name"));
      return privateToUser ? dir : null;
    } catch (IOException | UnsupportedOperationException | SecurityException e) {
      return null;
    }
  }
}
