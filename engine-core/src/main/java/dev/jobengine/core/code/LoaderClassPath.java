package dev.jobengine.core.code;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URL;
import java.net.URLClassLoader;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.Enumeration;
import java.util.IdentityHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.jar.Attributes;
import java.util.jar.JarFile;
import java.util.jar.Manifest;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import java.util.zip.ZipOutputStream;

/**
 * Where the classes of a set of class loaders are, as files a worker JVM can read: the class path
 * that the master's application really runs on, whatever launched it. Each loader is walked up
 * to (not including) the platform loader:
 * <ul>
 *   <li>the application class loader gives {@code java.class.path};
 *   <li>a {@link URLClassLoader} (Maven's {@code exec:java} realm, IDE and test runners, most
 *       application servers) gives its URLs;
 *   <li>a URL inside a jar, as nested-jar launchers make them ({@code jar:file:/app.jar!/BOOT-INF/lib/x.jar!/},
 *       {@code jar:nested:/app.jar/!BOOT-INF/lib/x.jar!/}, or a directory such as
 *       {@code BOOT-INF/classes/}), is copied out once into a jar of its own in a cache directory;
 *   <li>any other loader (the single-file source launcher's in-memory classes, a framework's own
 *       loader) cannot be read as files: it is {@linkplain Result#served() served}, its classes
 *       sent as bytes when a worker asks for them.
 * </ul>
 */
public final class LoaderClassPath {
  private static final Map<String, Path> COPIED = new ConcurrentHashMap<>();

  private LoaderClassPath() {}

  /**
   * The files, in order and without repeats, and the loaders whose classes are not in files (in
   * the order met).
   */
  public record Result(List<Path> entries, List<ClassLoader> served) {
    public Result {
      entries = List.copyOf(entries);
      served = Collections.unmodifiableList(new ArrayList<>(served));
    }
  }

  /** What {@code loaders} (null entries are skipped) load from, each walked up to the platform loader. */
  public static Result of(Collection<ClassLoader> loaders) {
    Set<Path> entries = new LinkedHashSet<>();
    Map<ClassLoader, Boolean> served = new IdentityHashMap<>();
    List<ClassLoader> servedOrder = new ArrayList<>();
    Map<ClassLoader, Boolean> seen = new IdentityHashMap<>();
    ClassLoader platform = ClassLoader.getPlatformClassLoader();
    ClassLoader system = ClassLoader.getSystemClassLoader();
    for (ClassLoader first : loaders) {
      // a loader's parents come first, as they are asked first
      List<ClassLoader> chain = new ArrayList<>();
      for (ClassLoader l = first; l != null && l != platform && seen.put(l, Boolean.TRUE) == null; l = l.getParent()) {
        chain.add(0, l);
      }
      for (ClassLoader l : chain) {
        if (l == system) {
          for (String e : System.getProperty("java.class.path", "").split(File.pathSeparator)) {
            if (!e.isBlank()) {
              Path p = Path.of(e).toAbsolutePath().normalize();
              if (Files.exists(p)) {
                add(entries, p);
              }
            }
          }
        } else if (l instanceof URLClassLoader u) {
          boolean unread = false;
          for (URL url : u.getURLs()) {
            Path p = file(url);
            if (p != null) {
              add(entries, p);
            } else if (!url.getProtocol().equals("file")) { // a missing file holds nothing
              unread = true;
            }
          }
          if (unread && served.put(l, Boolean.TRUE) == null) {
            servedOrder.add(l);
          }
        } else if (served.put(l, Boolean.TRUE) == null) {
          servedOrder.add(l);
        }
      }
    }
    return new Result(new ArrayList<>(entries), servedOrder);
  }

  /**
   * Adds {@code p} and, for a jar, what its manifest's {@code Class-Path} names (as the JDK's
   * loaders follow it: a launcher's manifest-only jar holds the whole class path that way).
   */
  private static void add(Set<Path> entries, Path p) {
    if (!entries.add(p) || !Files.isRegularFile(p)) {
      return;
    }
    for (Path listed : manifestClassPath(p)) {
      add(entries, listed);
    }
  }

  private static final Map<String, List<Path>> MANIFEST_CLASS_PATHS = new ConcurrentHashMap<>();

  /** The existing files the jar's manifest {@code Class-Path} names, relative to the jar. */
  static List<Path> manifestClassPath(Path jar) {
    String key;
    try {
      key = jar + "|" + Files.size(jar) + "|" + Files.getLastModifiedTime(jar).toMillis();
    } catch (IOException e) {
      return List.of();
    }
    return MANIFEST_CLASS_PATHS.computeIfAbsent(key, k -> {
      List<Path> out = new ArrayList<>();
      try (JarFile j = new JarFile(jar.toFile(), false)) {
        Manifest m = j.getManifest();
        String listed = m == null ? null : m.getMainAttributes().getValue(Attributes.Name.CLASS_PATH);
        if (listed == null) {
          return out;
        }
        URI base = jar.toUri();
        for (String entry : listed.trim().split("\\s+")) {
          if (entry.isEmpty()) {
            continue;
          }
          try {
            URI u = base.resolve(entry);
            if (u.getScheme() != null && u.getScheme().equals("file")) {
              Path p = Path.of(u).toAbsolutePath().normalize();
              if (Files.exists(p)) {
                out.add(p);
              }
            }
          } catch (IllegalArgumentException notAPath) {
            // a URL this cannot read: the JDK would skip it too
          }
        }
      } catch (IOException | SecurityException e) {
        // not a jar: nothing listed
      }
      return List.copyOf(out);
    });
  }

  /**
   * The file (jar or class directory) that {@code url} names, copying a nested jar or a
   * directory inside a jar out first; null when it names nothing this can read.
   */
  public static Path file(URL url) {
    try {
      String protocol = url.getProtocol();
      if (protocol.equals("file")) {
        Path p = Path.of(url.toURI()).toAbsolutePath().normalize();
        return Files.exists(p) ? p : null;
      }
      if (protocol.equals("jar")) {
        return inJar(url.toString().substring("jar:".length()));
      }
      return null;
    } catch (URISyntaxException | IllegalArgumentException | IOException | SecurityException e) {
      return null;
    }
  }

  /**
   * {@code spec} is what follows {@code jar:}: {@code file:/outer.jar!/entry[!/]} or
   * {@code nested:/outer.jar/!entry[!/]}.
   */
  private static Path inJar(String spec) throws IOException, URISyntaxException {
    String outer;
    String entry;
    if (spec.startsWith("nested:")) {
      int bang = spec.indexOf("/!");
      if (bang < 0) {
        return null;
      }
      outer = spec.substring("nested:".length(), bang);
      entry = spec.substring(bang + 2);
    } else if (spec.startsWith("file:")) {
      int bang = spec.indexOf("!/");
      if (bang < 0) {
        return null;
      }
      outer = spec.substring(0, bang);
      entry = spec.substring(bang + 2);
      outer = Path.of(new URI(outer)).toString();
    } else {
      return null;
    }
    outer = URLDecoder.decode(outer.replace("+", "%2B"), StandardCharsets.UTF_8);
    if (entry.endsWith("!/")) {
      entry = entry.substring(0, entry.length() - 2);
    }
    entry = URLDecoder.decode(entry.replace("+", "%2B"), StandardCharsets.UTF_8);
    Path jar = Path.of(outer).toAbsolutePath().normalize();
    if (!Files.isRegularFile(jar)) {
      return null;
    }
    if (entry.isEmpty()) {
      return jar; // jar:file:/x.jar!/ is the jar itself
    }
    if (entry.contains("!/")) {
      return null; // nested more than one level
    }
    return copyOut(jar, entry);
  }

  /** The entry (a jar, or a directory when it ends with '/' or is one) of {@code jar}, as a file of its own. */
  private static Path copyOut(Path jar, String entry) throws IOException {
    String key = jar + "|" + Files.size(jar) + "|" + Files.getLastModifiedTime(jar).toMillis() + "|" + entry;
    Path known = COPIED.get(key);
    if (known != null && Files.isRegularFile(known)) {
      return known;
    }
    MessageDigest sha = Artifacts.sha256();
    String id = Artifacts.hex(sha.digest(key.getBytes(StandardCharsets.UTF_8))).substring(0, 32);
    String simple = entry.endsWith("/") ? entry.substring(0, entry.length() - 1) : entry;
    simple = simple.substring(simple.lastIndexOf('/') + 1).replaceAll("[^A-Za-z0-9._-]", "_");
    if (!simple.endsWith(".jar")) {
      simple = simple + ".jar";
    }
    Path dir = Artifacts.privateDirectory(Path.of(System.getProperty("java.io.tmpdir"), "jobengine-nested-" + Artifacts.user()));
    Path target = dir.resolve(id + "-" + simple);
    if (Files.isRegularFile(target)) {
      Files.setLastModifiedTime(target, java.nio.file.attribute.FileTime.fromMillis(System.currentTimeMillis()));
    } else {
      removeStale(dir);
      Path tmp = Files.createTempFile(dir, id, ".part");
      try {
        try (ZipFile zip = new ZipFile(jar.toFile())) {
          ZipEntry e = entry.endsWith("/") ? null : zip.getEntry(entry);
          if (e != null && !e.isDirectory()) {
            try (InputStream in = zip.getInputStream(e); OutputStream out = Files.newOutputStream(tmp)) {
              in.transferTo(out);
            }
          } else {
            String prefix = entry.endsWith("/") ? entry : entry + "/";
            if (!packDirectory(zip, prefix, tmp)) {
              return null;
            }
          }
        }
        Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      } finally {
        Files.deleteIfExists(tmp);
      }
    }
    COPIED.put(key, target);
    return target;
  }

  /** Copies unused for a week belong to application jars that were rebuilt or are gone. */
  private static void removeStale(Path dir) {
    try {
      Artifacts.removeUnusedForAWeek(dir);
    } catch (IOException e) {
      // another JVM cleans at the same time, or the directory is not ours to clean: the copies stay
    }
  }

  /** The entries of {@code zip} under {@code prefix}, as a jar at {@code out}; false if there are none. */
  private static boolean packDirectory(ZipFile zip, String prefix, Path out) throws IOException {
    boolean any = false;
    try (ZipOutputStream jar = new ZipOutputStream(Files.newOutputStream(out))) {
      jar.setLevel(1);
      for (Enumeration<? extends ZipEntry> all = zip.entries(); all.hasMoreElements(); ) {
        ZipEntry e = all.nextElement();
        String name = e.getName();
        if (e.isDirectory() || !name.startsWith(prefix) || name.length() == prefix.length()) {
          continue;
        }
        ZipEntry copy = new ZipEntry(name.substring(prefix.length()));
        copy.setTime(e.getTime());
        jar.putNextEntry(copy);
        try (InputStream in = zip.getInputStream(e)) {
          in.transferTo(jar);
        }
        jar.closeEntry();
        any = true;
      }
    }
    return any;
  }

  /** {@code loader} for a message: its name, if it has one, and what it is. */
  public static String describe(ClassLoader loader) {
    return loader.getName() == null ? loader.toString() : "'" + loader.getName() + "' (" + loader + ")";
  }

  /**
   * The jar or directory {@code c} was loaded from, as a file (copied out if nested); null when
   * its code source is unknown or not a file.
   */
  public static Path codeSource(Class<?> c) {
    try {
      var source = c.getProtectionDomain().getCodeSource();
      if (source == null || source.getLocation() == null) {
        return null;
      }
      URL location = source.getLocation();
      if (location.getProtocol().equals("jar") && !location.toString().endsWith("!/")) {
        location = new URL(location + "!/");
      }
      return file(location);
    } catch (IOException | SecurityException e) {
      return null;
    }
  }
}
