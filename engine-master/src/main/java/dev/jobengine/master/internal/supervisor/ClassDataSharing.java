package dev.jobengine.master.internal.supervisor;

import dev.jobengine.PoolOptions;
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
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An application class-data-sharing archive for worker JVMs, made once and reused: the first
 * worker for a given JDK, class path and JVM options records the classes it loaded when it exits
 * ({@code -XX:ArchiveClassesAtExit}); later workers map them ({@code -XX:SharedArchiveFile}) and
 * start faster. The recording worker warms up (as a standby worker does) so that the archive holds
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

  /** JVM options for one worker, and what to do when it exits. */
  record Use(List<String> jvmOptions, boolean recording, Runnable onExit) {
    static final Use NONE = new Use(List.of(), false, () -> {});
  }

  private ClassDataSharing() {}

  /** For a worker started with {@code options} that boots on {@code classPath}. */
  static Use forWorkerBootingOn(PoolOptions options, String classPath) {
    return ENABLED ? forWorker(options, classPath, privateDirectory()) : Use.NONE;
  }

  static Use forWorker(PoolOptions options, Path dir) {
    return forWorker(options, options.classPath() != null ? options.classPath() : System.getProperty("java.class.path"), dir);
  }

  /** With archives kept in {@code dir} (null: none). */
  static Use forWorker(PoolOptions options, String classPath, Path dir) {
    if (dir == null || !allJars(classPath) || choosesItsOwnSharing(options.jvmOptions())) {
      return Use.NONE;
    }
    String key = key(classPath, options.jvmOptions());
    Path archive = dir.resolve(key + ".jsa");
    if (Files.isRegularFile(archive)) {
      try {
        Files.setLastModifiedTime(archive, java.nio.file.attribute.FileTime.fromMillis(System.currentTimeMillis()));
      } catch (IOException ignored) {
        // only the clean-up of old archives looks at it
      }
      return new Use(List.of(QUIET, "-XX:SharedArchiveFile=" + archive), false, () -> {});
    }
    if (RECORDING.putIfAbsent(archive, Boolean.TRUE) != null) {
      return Use.NONE;
    }
    Path recording = dir.resolve(key + ".jsa." + ProcessHandle.current().pid() + ".tmp");
    return new Use(List.of(QUIET, "-XX:ArchiveClassesAtExit=" + recording), true, () -> {
      try {
        if (Files.isRegularFile(recording) && Files.size(recording) > 0) {
          Files.move(recording, archive, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
          log.debug("worker class-data archive saved as {}", archive);
          removeStale(dir);
        }
      } catch (IOException e) {
        log.debug("could not save the worker class-data archive {}", archive, e);
      } finally {
        try {
          Files.deleteIfExists(recording);
        } catch (IOException ignored) {
          // a leftover recording is replaced by the next one
        }
        RECORDING.remove(archive);
      }
    });
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
    return jvmOptions.stream().anyMatch(o -> o.contains("SharedArchiveFile") || o.contains("ArchiveClasses")
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
