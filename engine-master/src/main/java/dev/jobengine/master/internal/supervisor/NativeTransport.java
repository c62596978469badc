package dev.jobengine.master.internal.supervisor;

import dev.jobengine.core.wire.Transports;
import io.netty.channel.epoll.Epoll;
import io.netty.util.internal.NativeLibraryLoader;
import io.netty.util.internal.PlatformDependent;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Netty's epoll library, ready for workers to load. Netty looks for it on {@code java.library.path}
 * first; not finding it there, every JVM copies it out of its jar into a temporary file of a random
 * name (which starts the JDK's SecureRandom), loads it and deletes it: measured on a worker's main
 * thread, 40-60 ms of its start. So the master writes the library once per user and jar (its
 * path, size and time; the library's content for a library not in a plain jar), into {@code
 * ~/.cache/jobengine/native/<hash>/} (private to the user, as the class-data archives are),
 * and starts workers with that directory ahead of its own {@code java.library.path}. Where there is
 * nothing to share (no epoll, a library Netty does not ship as a resource, a directory that is not
 * private), workers load it as before.
 */
final class NativeTransport {
  private static final Logger log = LoggerFactory.getLogger(NativeTransport.class);
  private static final String LIBRARY_PATH = "-Djava.library.path=";
  /** Far above the library's size (about 100 KB): what is read from a jar is bounded. */
  private static final int MAX_LIBRARY_BYTES = 16 << 20;

  private NativeTransport() {}

  private static final class Holder {
    static final String DIRECTORY = prepare();
  }

  /**
   * The option to add to a worker's command line; none when there is no library to share, or when
   * {@code jvmOptions} set {@code java.library.path} themselves.
   */
  static List<String> jvmOptions(List<String> jvmOptions) {
    if (jvmOptions.stream().anyMatch(o -> o.startsWith(LIBRARY_PATH))) {
      return List.of();
    }
    String dir = Holder.DIRECTORY;
    if (dir == null) {
      return List.of();
    }
    String path = System.getProperty("java.library.path", "");
    return List.of(LIBRARY_PATH + dir + (path.isEmpty() ? "" : File.pathSeparator + path));
  }

  /** Netty's file name of the library, as its loader would look for it on java.library.path. */
  static String libraryFileName() {
    // Netty's NativeLibraryLoader: a relocated Netty prefixes the name with its mangled package
    String loader = NativeLibraryLoader.class.getName();
    String original = "io.netty.util.internal.NativeLibraryLoader";
    String prefix = loader.endsWith(original)
        ? loader.substring(0, loader.length() - original.length()).replace("_", "_1").replace('.', '_')
        : "";
    return System.mapLibraryName(prefix + "netty_transport_native_epoll_" + PlatformDependent.normalizedArch());
  }

  private static String prepare() {
    try {
      if (!Transports.epollAvailable() || !"linux".equals(PlatformDependent.normalizedOs())) {
        return null;
      }
      String file = libraryFileName();
      URL resource = Epoll.class.getClassLoader() == null
          ? null
          : Epoll.class.getClassLoader().getResource("META-INF/native/" + file);
      if (resource == null) {
        return null;
      }
      String identity = identity(resource);
      byte[] bytes = identity == null ? read(resource) : null;
      if (identity == null && bytes == null) {
        return null;
      }
      MessageDigest sha = MessageDigest.getInstance("SHA-256");
      byte[] key = identity != null ? sha.digest(identity.getBytes(StandardCharsets.UTF_8)) : sha.digest(bytes);
      Path dir = privateDirectory(HexFormat.of().formatHex(key, 0, 12));
      if (dir == null) {
        return null;
      }
      Path target = dir.resolve(file);
      if (!Files.isRegularFile(target) || (identity == null && !Arrays.equals(Files.readAllBytes(target), bytes))) {
        if (bytes == null && (bytes = read(resource)) == null) {
          return null;
        }
        Path part = Files.createTempFile(dir, file, ".part");
        try {
          Files.write(part, bytes);
          Files.move(part, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } finally {
          Files.deleteIfExists(part);
        }
      }
      return dir.toString();
    } catch (IOException | NoSuchAlgorithmException | RuntimeException | LinkageError e) {
      log.debug("workers extract Netty's native library themselves", e);
      return null;
    }
  }

  /**
   * The jar file the library comes from, as its path, size and time ({@code jar:file:} URLs), so
   * that a copy made before is found without reading the library; null for any other URL (then the
   * library's bytes are the key, and the copy is compared with them).
   */
  private static String identity(URL resource) {
    String url = resource.toString();
    int bang = url.indexOf("!/");
    if (!url.startsWith("jar:file:") || bang < 0 || url.indexOf("!/", bang + 2) >= 0) {
      return null;
    }
    try {
      Path jar = Path.of(URI.create(url.substring("jar:".length(), bang)));
      return String.join("\n", jar.toString(), Long.toString(Files.size(jar)),
          Long.toString(Files.getLastModifiedTime(jar).toMillis()), url.substring(bang + 2));
    } catch (IOException | IllegalArgumentException e) {
      return null;
    }
  }

  /** The library's bytes; null if it is larger than any such library is. */
  private static byte[] read(URL resource) throws IOException {
    try (InputStream in = resource.openStream()) {
      byte[] bytes = in.readNBytes(MAX_LIBRARY_BYTES + 1);
      return bytes.length > MAX_LIBRARY_BYTES ? null : bytes;
    }
  }

  /** {@code ~/.cache/jobengine/native/<name>}, created 0700 (as its parents); null when not private to this user. */
  private static Path privateDirectory(String name) throws IOException {
    Path home = Path.of(System.getProperty("user.home", ""));
    if (!home.isAbsolute()) {
      return null; // no home ("?" without a passwd entry): nowhere private to write
    }
    Path base = home.resolve(".cache").resolve("jobengine").resolve("native");
    Path dir = base.resolve(name);
    Files.createDirectories(dir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
    for (Path p : List.of(base, dir)) {
      Set<PosixFilePermission> perms = Files.getPosixFilePermissions(p);
      if (perms.contains(PosixFilePermission.GROUP_WRITE) || perms.contains(PosixFilePermission.OTHERS_WRITE)
          || !Files.getOwner(p).getName().equals(System.getProperty("user.name"))) {
        return null;
      }
    }
    return dir;
  }
}
