package dev.jobengine.core.code;

import dev.jobengine.proto.Artifact;
import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.regex.Pattern;

/** Names, hashes and directories of artifacts (jars named by the SHA-256 of their bytes). */
public final class Artifacts {
  /** A jar larger than this does not travel. */
  public static final long MAX_ARTIFACT_BYTES = 512L << 20;
  /** A class path with more entries than this does not travel. */
  public static final int MAX_ARTIFACTS = 4096;
  /** Bytes per chunk on the wire. */
  public static final int CHUNK_BYTES = 1 << 20;

  private static final Pattern SHA256 = Pattern.compile("[0-9a-f]{64}");

  private Artifacts() {}

  public static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JDK has SHA-256", e);
    }
  }

  public static String hex(byte[] digest) {
    return HexFormat.of().formatHex(digest);
  }

  /** Whether {@code a} names an artifact well enough to be stored (a hash, a size within bounds). */
  public static boolean valid(Artifact a) {
    return SHA256.matcher(a.getSha256()).matches() && a.getSize() >= 0 && a.getSize() <= MAX_ARTIFACT_BYTES;
  }

  /** Its file name in a store or cache; throws IllegalArgumentException for one that is not {@link #valid}. */
  public static String fileName(Artifact a) {
    if (!valid(a)) {
      throw new IllegalArgumentException("not an artifact: sha256 '" + a.getSha256() + "', " + a.getSize() + " bytes");
    }
    return a.getSha256() + ".jar";
  }

  /** {@code dir}, created readable by its owner only if missing. */
  public static Path privateDirectory(Path dir) throws IOException {
    if (!Files.isDirectory(dir)) {
      try {
        Files.createDirectories(dir.getParent());
        Files.createDirectory(dir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
      } catch (FileAlreadyExistsException raced) {
        // made meanwhile
      } catch (UnsupportedOperationException notPosix) {
        Files.createDirectories(dir);
      }
    }
    return dir;
  }

  /**
   * Deletes the files of {@code dir} not modified for a week (caches mark what they reuse):
   * copies of jars or JDKs that are gone or rebuilt. Throws IOException when {@code dir} cannot
   * be listed.
   */
  public static void removeUnusedForAWeek(Path dir) throws IOException {
    long cutoff = System.currentTimeMillis() - java.util.concurrent.TimeUnit.DAYS.toMillis(7);
    try (var files = Files.list(dir)) {
      for (Path f : (Iterable<Path>) files::iterator) {
        if (Files.getLastModifiedTime(f).toMillis() < cutoff) {
          Files.deleteIfExists(f);
        }
      }
    }
  }

  /** A worker's cache when none is given: one per user in the temp directory. */
  public static Path defaultWorkerDirectory() throws IOException {
    return privateDirectory(Path.of(System.getProperty("java.io.tmpdir"), "jobengine-code-" + user()));
  }

  static String user() {
    return System.getProperty("user.name", "user").replaceAll("[^A-Za-z0-9._-]", "_");
  }
}
