package dev.jobengine.core.code;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.zip.CRC32;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LoaderClassPathTest {
  @TempDir Path tmp;

  @Test
  void aUrlLoaderGivesItsFilesAfterItsParentsAndSkipsMissingOnes() throws IOException {
    Path dir = Files.createDirectories(tmp.resolve("classes"));
    Path jar = jar(tmp.resolve("lib.jar"), Map.of("a/A.class", "A"));
    Path parentJar = jar(tmp.resolve("parent.jar"), Map.of("p/P.class", "P"));
    try (URLClassLoader parent = new URLClassLoader(new URL[] {parentJar.toUri().toURL()}, null);
        URLClassLoader child = new URLClassLoader(new URL[] {
            dir.toUri().toURL(), tmp.resolve("missing.jar").toUri().toURL(), jar.toUri().toURL()}, parent)) {
      LoaderClassPath.Result r = LoaderClassPath.of(List.of(child));
      assertThat(r.entries()).containsExactly(parentJar, dir, jar);
      assertThat(r.served()).as("a missing file holds nothing, so it asks for nothing").isEmpty();
    }
  }

  @Test
  void aManifestOnlyJarGivesTheClassPathItsManifestNames() throws IOException {
    Path lib = jar(Files.createDirectories(tmp.resolve("lib")).resolve("a.jar"), Map.of("a/A.class", "A"));
    Path classes = Files.createDirectories(tmp.resolve("target/classes"));
    Path launcher = tmp.resolve("classpath.jar");
    java.util.jar.Manifest m = new java.util.jar.Manifest();
    m.getMainAttributes().put(java.util.jar.Attributes.Name.MANIFEST_VERSION, "1.0");
    m.getMainAttributes().put(java.util.jar.Attributes.Name.CLASS_PATH, "lib/a.jar  target/classes/ missing.jar");
    try (java.util.jar.JarOutputStream out = new java.util.jar.JarOutputStream(Files.newOutputStream(launcher), m)) {
      out.putNextEntry(new ZipEntry("placeholder.txt"));
    }
    try (URLClassLoader l = new URLClassLoader(new URL[] {launcher.toUri().toURL()}, null)) {
      assertThat(LoaderClassPath.of(List.of(l)).entries()).containsExactly(launcher, lib, classes);
    }
  }

  @Test
  void nestedJarsAndDirectoriesInsideAJarAreCopiedOutInBothUrlForms() throws IOException {
    byte[] inner = bytesOf(jar(tmp.resolve("inner.jar"), Map.of("lib/L.class", "L")));
    Path app = tmp.resolve("app.jar");
    try (ZipOutputStream out = new ZipOutputStream(Files.newOutputStream(app))) {
      stored(out, "BOOT-INF/lib/inner.jar", inner);
      out.putNextEntry(new ZipEntry("BOOT-INF/classes/"));
      out.putNextEntry(new ZipEntry("BOOT-INF/classes/app/Main.class"));
      out.write("M".getBytes());
      out.putNextEntry(new ZipEntry("BOOT-INF/classes/app/x.properties"));
      out.write("x=1".getBytes());
      out.putNextEntry(new ZipEntry("META-INF/MANIFEST.MF"));
      out.write("Manifest-Version: 1.0\n".getBytes());
    }
    String file = app.toUri().toString();
    String systemTemp = System.getProperty("java.io.tmpdir");
    System.setProperty("java.io.tmpdir", tmp.toString()); // the copies go under it
    try {
      copiesOut(app, file, inner);
    } finally {
      System.setProperty("java.io.tmpdir", systemTemp);
    }
  }

  private void copiesOut(Path app, String file, byte[] inner) throws IOException {
    Path fromFileForm = LoaderClassPath.file(new URL("jar:" + file + "!/BOOT-INF/lib/inner.jar!/"));
    Path fromNestedForm = LoaderClassPath.file(nested(app + "/!BOOT-INF/lib/inner.jar!/"));
    assertThat(fromFileForm).isNotNull();
    assertThat(Files.readAllBytes(fromFileForm)).isEqualTo(inner);
    assertThat(fromNestedForm).isEqualTo(fromFileForm);
    assertThat(fromFileForm).startsWith(tmp);

    Path classes = LoaderClassPath.file(nested(app + "/!BOOT-INF/classes/!/"));
    assertThat(entries(classes)).containsExactly(Map.entry("app/Main.class", "M"), Map.entry("app/x.properties", "x=1"));
    assertThat(LoaderClassPath.file(new URL("jar:" + file + "!/BOOT-INF/classes/"))).isEqualTo(classes);
    assertThat(LoaderClassPath.file(new URL("jar:" + file + "!/"))).isEqualTo(app);
    assertThat(LoaderClassPath.file(new URL("jar:" + file + "!/no/such/"))).isNull();
  }

  @Test
  void aLoaderWithoutFilesIsServed() {
    ClassLoader inMemory = new ClassLoader("in-memory", getClass().getClassLoader()) {};
    LoaderClassPath.Result r = LoaderClassPath.of(List.of(inMemory));
    assertThat(r.served()).containsExactly(inMemory);
    assertThat(r.entries()).as("its parent, the application loader, still gives java.class.path")
        .isNotEmpty();
  }

  @Test
  void aLoaderWithAUrlItCannotReadIsServedToo() throws IOException {
    try (URLClassLoader remote = new URLClassLoader(new URL[] {new URL("http://example.invalid/lib.jar")}, null)) {
      assertThat(LoaderClassPath.of(List.of(remote)).served()).containsExactly(remote);
    }
  }

  /** A {@code jar:nested:} URL, as Spring Boot's launcher makes them (its handler is not here). */
  private static URL nested(String path) throws IOException {
    URL url = new URL(null, "jar:nested:" + path, new java.net.URLStreamHandler() {
      @Override
      protected java.net.URLConnection openConnection(URL u) throws IOException {
        throw new IOException("not opened here");
      }
    });
    assertThat(url.toString()).isEqualTo("jar:nested:" + path);
    return url;
  }

  private static Path jar(Path p, Map<String, String> entries) throws IOException {
    try (ZipOutputStream out = new ZipOutputStream(Files.newOutputStream(p))) {
      for (Map.Entry<String, String> e : new TreeMap<>(entries).entrySet()) {
        out.putNextEntry(new ZipEntry(e.getKey()));
        out.write(e.getValue().getBytes());
      }
    }
    return p;
  }

  private static void stored(ZipOutputStream out, String name, byte[] data) throws IOException {
    ZipEntry e = new ZipEntry(name);
    e.setMethod(ZipEntry.STORED);
    e.setSize(data.length);
    CRC32 crc = new CRC32();
    crc.update(data);
    e.setCrc(crc.getValue());
    out.putNextEntry(e);
    out.write(data);
  }

  private static byte[] bytesOf(Path p) throws IOException {
    return Files.readAllBytes(p);
  }

  private static Map<String, String> entries(Path jar) throws IOException {
    Map<String, String> out = new TreeMap<>();
    try (ZipFile z = new ZipFile(jar.toFile())) {
      z.stream().forEach(e -> {
        try {
          out.put(e.getName(), new String(z.getInputStream(e).readAllBytes()));
        } catch (IOException ex) {
          throw new java.io.UncheckedIOException(ex);
        }
      });
    }
    return out;
  }
}
