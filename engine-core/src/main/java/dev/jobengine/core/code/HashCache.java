package dev.jobengine.core.code;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.regex.Pattern;

/**
 * Jars' SHA-256 kept across runs in {@code ~/.cache/jobengine/hashes} (private to the user), one
 * small file per jar path, valid while the jar's size and modification time are the same: a
 * client's next run sends its class path without reading its jars again (hashing a 16 MB jar
 * costs a fresh JVM about 100 ms). Any trouble with the cache only means hashing again.
 */
final class HashCache {
  private static final Pattern SHA256 = Pattern.compile("[0-9a-f]{64}");
  private static final Path DIR = directory();

  private HashCache() {}

  private static Path directory() {
    try {
      return Artifacts.privateDirectory(Path.of(System.getProperty("user.home"), ".cache", "jobengine", "hashes"));
    } catch (IOException | SecurityException | java.nio.file.InvalidPathException e) {
      return null;
    }
  }

  private static Path entry(Path jar) {
    return DIR.resolve(Artifacts.hex(Artifacts.sha256().digest(jar.toString().getBytes(StandardCharsets.UTF_8))));
  }

  /** The hash recorded for {@code jar} as it is now, or null. */
  static String get(Path jar, long size, long modified) {
    if (DIR == null) {
      return null;
    }
    try {
      Path f = entry(jar);
      if (!Files.isRegularFile(f) || Files.size(f) > 256) {
        return null;
      }
      String[] parts = Files.readString(f).trim().split(" ");
      if (parts.length == 3 && parts[0].equals(Long.toString(size)) && parts[1].equals(Long.toString(modified))
          && SHA256.matcher(parts[2]).matches()) {
        return parts[2];
      }
    } catch (IOException | RuntimeException e) {
      // hashed again
    }
    return null;
  }

  static void put(Path jar, long size, long modified, String sha256) {
    if (DIR == null) {
      return;
    }
    try {
      Path f = entry(jar);
      Path tmp = Files.createTempFile(DIR, f.getFileName().toString(), ".tmp");
      Files.writeString(tmp, size + " " + modified + " " + sha256 + "\n");
      Files.move(tmp, f, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } catch (IOException | RuntimeException e) {
      // next time it is hashed again
    }
  }
}
