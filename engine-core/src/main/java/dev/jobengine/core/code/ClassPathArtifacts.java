package dev.jobengine.core.code;

import com.google.protobuf.ByteString;
import dev.jobengine.proto.Artifact;
import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import java.util.zip.ZipOutputStream;

/**
 * A client's class path as the artifacts that travel to a daemon: each jar as it is, each class
 * directory packed into a jar (entries sorted, fixed times, so the same classes make the same
 * hash). Jars whose classes all belong to the engine or the libraries it runs on (gRPC, Netty,
 * protobuf, SLF4J, ...) stay home: the daemon's workers have their own. So does the runtime jar
 * ({@code dev.jobengine:jobengine}), whose libraries are relocated under {@code
 * dev.jobengine.shaded}; in that jar the library prefixes below are relocated too, so there an
 * application's own Netty or protobuf travels. Hashes are computed once per file and JVM (keyed
 * by path, size and modification time).
 */
public final class ClassPathArtifacts {
  /** Packages every worker has on its own class path. */
  private static final List<String> PROVIDED = List.of(
      "dev/jobengine/spi/", "dev/jobengine/core/", "dev/jobengine/proto/", "dev/jobengine/worker/",
      "dev/jobengine/master/cli/", "dev/jobengine/master/internal/", "dev/jobengine/micrometer/",
      "dev/jobengine/shaded/", "io/grpc/", "io/netty/", "io/perfmark/",
      "com/google/protobuf/", "com/google/common/", "com/google/thirdparty/", "com/google/errorprone/",
      "com/google/j2objc/", "com/google/gson/", "com/google/rpc/", "com/google/type/", "com/google/api/",
      "com/google/longrunning/", "com/google/geo/", "com/google/logging/", "com/google/cloud/",
      "org/slf4j/", "ch/qos/logback/", "javax/annotation/", "org/checkerframework/", "org/codehaus/mojo/",
      "android/annotation/", "picocli/", "META-INF/");

  /** One artifact: what it is, and where its bytes are (a file, or a packed directory in memory). */
  public record Local(Artifact artifact, Path file, ByteString packed) {
    public InputStream open() throws IOException {
      return file != null ? Files.newInputStream(file) : packed.newInput();
    }
  }

  private record Key(Path path, long size, long modified) {}

  private static final Map<Key, Local> CACHE = new ConcurrentHashMap<>();
  private static final Map<Key, Boolean> ENGINE_JARS = new ConcurrentHashMap<>();

  private ClassPathArtifacts() {}

  /** The artifacts of {@code classPath} (entries split by the path separator) that travel, in order. */
  public static List<Local> of(String classPath) throws IOException {
    List<Local> out = new ArrayList<>();
    for (String entry : classPath.split(File.pathSeparator)) {
      if (entry.isBlank()) {
        continue;
      }
      Path p = Path.of(entry).toAbsolutePath().normalize();
      Local a;
      if (Files.isDirectory(p)) {
        a = directory(p);
      } else if (Files.isRegularFile(p) && !engineJar(p)) {
        a = jar(p);
      } else {
        continue; // missing, or the engine's own
      }
      if (a != null) {
        out.add(a);
      }
      if (out.size() > Artifacts.MAX_ARTIFACTS) {
        throw new IOException("the class path has more than " + Artifacts.MAX_ARTIFACTS + " entries to send");
      }
    }
    return out;
  }

  /** Whether every class in the jar is one the workers have (a jar without classes is not). */
  public static boolean isEngineJar(Path jar) {
    return engineJar(jar);
  }

  static boolean engineJar(Path jar) {
    Key key = key(jar);
    if (key == null) {
      return false;
    }
    return ENGINE_JARS.computeIfAbsent(key, k -> CACHE.containsKey(k) ? false : scan(jar));
  }

  private static boolean scan(Path jar) {
    try (ZipFile zip = new ZipFile(jar.toFile())) {
      boolean anyClass = false;
      for (Enumeration<? extends ZipEntry> e = zip.entries(); e.hasMoreElements(); ) {
        String name = e.nextElement().getName();
        if (name.startsWith("META-INF/native/")) {
          anyClass = true; // a native library of a provided jar (Netty's epoll)
          continue;
        }
        if (!name.endsWith(".class")) {
          continue;
        }
        anyClass = true;
        if (!provided(name)) {
          return false;
        }
      }
      return anyClass;
    } catch (IOException e) {
      return false; // not a zip: it travels as it is, and the worker's loader makes of it what it can
    }
  }

  static boolean provided(String classFile) {
    if (classFile.startsWith("dev/jobengine/") && classFile.indexOf('/', "dev/jobengine/".length()) < 0) {
      return true; // the API's own package
    }
    if (classFile.endsWith("module-info.class") || classFile.startsWith("dev/jobengine/master/Master")
        || classFile.equals("dev/jobengine/master/package-info.class")) {
      return true;
    }
    for (String prefix : PROVIDED) {
      if (classFile.startsWith(prefix)) {
        return true;
      }
    }
    return false;
  }

  private static Key key(Path p) {
    try {
      return new Key(p, Files.size(p), Files.getLastModifiedTime(p).toMillis());
    } catch (IOException e) {
      return null;
    }
  }

  private static Local jar(Path p) throws IOException {
    Key key = key(p);
    Local cached = key == null ? null : CACHE.get(key);
    if (cached != null) {
      return cached;
    }
    long size = Files.size(p);
    if (size > Artifacts.MAX_ARTIFACT_BYTES) {
      throw new IOException(p + " is over " + Artifacts.MAX_ARTIFACT_BYTES + " bytes: too large to send");
    }
    String hex = key == null ? null : HashCache.get(key.path(), key.size(), key.modified());
    if (hex == null) {
      MessageDigest sha = Artifacts.sha256();
      try (InputStream in = new DigestInputStream(Files.newInputStream(p), sha)) {
        in.transferTo(OutputStreamSink.INSTANCE);
      }
      hex = Artifacts.hex(sha.digest());
      if (key != null) {
        HashCache.put(key.path(), key.size(), key.modified(), hex);
      }
    }
    Local a = new Local(Artifact.newBuilder().setSha256(hex).setSize(size).setName(p.getFileName().toString()).build(),
        p, null);
    if (key != null) {
      CACHE.put(key, a);
    }
    return a;
  }

  /** A class directory packed into a jar in memory; null if it holds nothing. */
  private static Local directory(Path dir) throws IOException {
    List<Path> files;
    try (Stream<Path> walk = Files.walk(dir)) {
      files = walk.filter(Files::isRegularFile).sorted().toList();
    }
    if (files.isEmpty()) {
      return null;
    }
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    long total = 0;
    try (ZipOutputStream zip = new ZipOutputStream(bytes)) {
      zip.setLevel(1);
      for (Path f : files) {
        total += Files.size(f);
        if (total > Artifacts.MAX_ARTIFACT_BYTES) {
          throw new IOException(dir + " holds over " + Artifacts.MAX_ARTIFACT_BYTES + " bytes: too large to send");
        }
        ZipEntry e = new ZipEntry(dir.relativize(f).toString().replace(File.separatorChar, '/'));
        e.setTime(315532800000L); // 1980-01-01, the zip format's first day: the same bytes every time
        zip.putNextEntry(e);
        Files.copy(f, zip);
        zip.closeEntry();
      }
    }
    byte[] packed = bytes.toByteArray();
    MessageDigest sha = Artifacts.sha256();
    String name = dir.getFileName() + ".jar";
    return new Local(artifact(sha.digest(packed), packed.length, name), null, ByteString.copyFrom(packed));
  }

  private static Artifact artifact(byte[] digest, long size, String name) {
    return Artifact.newBuilder().setSha256(Artifacts.hex(digest)).setSize(size).setName(name).build();
  }

  /** Discards what is written: hashing reads through it. */
  private static final class OutputStreamSink extends java.io.OutputStream {
    static final OutputStreamSink INSTANCE = new OutputStreamSink();

    @Override
    public void write(int b) {}

    @Override
    public void write(byte[] b, int off, int len) {}
  }
}
