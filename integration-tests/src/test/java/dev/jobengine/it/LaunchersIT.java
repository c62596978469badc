package dev.jobengine.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Enumeration;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.jar.Attributes;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import java.util.zip.CRC32;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * One application of its own ({@code launchers/LauncherApp.java}: a lambda map, a task class, a
 * callback, a process feeding a queue under a lock) run by the launchers users have: none of them
 * gives the workers a {@code java.class.path} that holds the application, and each works.
 */
class LaunchersIT {
  private static final String MAIN = "launched.LauncherApp";
  @TempDir static Path tmp;
  private static DaemonFixture children;
  private static List<Path> engine; // the engine's runtime: jars (or class directories), no logging back end
  private static Path source;
  private static Path classes;

  @BeforeAll
  static void compileTheApplication() throws IOException {
    children = new DaemonFixture();
    engine = Arrays.stream(DaemonFixture.engineClassPath().split(File.pathSeparator))
        .filter(e -> !e.isBlank())
        .filter(e -> Stream.of("logback", "junit", "assertj", "opentest4j", "apiguardian", "spring-boot", "awaitility",
            "/examples", "/benchmarks", "/distribution", "engine-test", "picocli").noneMatch(e::contains))
        .map(Path::of)
        .toList();
    source = tmp.resolve("src/launched/LauncherApp.java");
    Files.createDirectories(source.getParent());
    try (InputStream in = LaunchersIT.class.getResourceAsStream("/launchers/LauncherApp.java")) {
      Files.copy(in, source);
    }
    classes = Files.createDirectories(tmp.resolve("classes"));
    JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
    int rc = javac.run(null, null, null, "--release", "17", "-cp", join(engine), "-d", classes.toString(), source.toString());
    assertThat(rc).as("javac").isZero();
  }

  @AfterAll
  static void endChildren() {
    children.close();
  }

  @Test
  void aSingleFileProgramWhoseClassesAreOnlyInMemory() throws Exception {
    DaemonFixture.Child app = children.start(new ProcessBuilder(java(), "-cp", join(engine), source.toString()));
    assertRan(app, "com.sun.tools.javac.launcher");
  }

  @Test
  void aSpringBootStyleJarWithTheEngineAndTheApplicationNestedInIt() throws Exception {
    Path jar = tmp.resolve("boot-app.jar");
    Path loader = Arrays.stream(System.getProperty("java.class.path").split(File.pathSeparator))
        .filter(e -> e.contains("spring-boot-loader")).map(Path::of).findFirst().orElseThrow();
    Manifest manifest = manifest("org.springframework.boot.loader.launch.JarLauncher");
    manifest.getMainAttributes().putValue("Start-Class", MAIN);
    manifest.getMainAttributes().putValue("Spring-Boot-Classes", "BOOT-INF/classes/");
    manifest.getMainAttributes().putValue("Spring-Boot-Lib", "BOOT-INF/lib/");
    try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(jar), manifest)) {
      Set<String> seen = new HashSet<>();
      copyEntries(loader, out, "", seen, name -> name.startsWith("org/springframework/boot/loader/"));
      copyTree(classes, out, "BOOT-INF/classes/");
      out.putNextEntry(new ZipEntry("BOOT-INF/lib/"));
      for (Path e : engine) {
        stored(out, "BOOT-INF/lib/" + e.getFileName() + (Files.isDirectory(e) ? ".jar" : ""), jarBytes(e));
      }
    }
    // the nested jars are copied out under java.io.tmpdir: the test's own, removed with it
    Path temp = Files.createDirectories(tmp.resolve("boot-tmp"));
    DaemonFixture.Child app = children.start(new ProcessBuilder(java(), "-Djava.io.tmpdir=" + temp, "-jar", jar.toString()));
    assertRan(app, "org.springframework.boot.loader");
    try (Stream<Path> copies = Files.list(temp.resolve("jobengine-nested-" + System.getProperty("user.name")))) {
      assertThat(copies.map(p -> p.getFileName().toString()))
          .as("the nested jars, each copied out once").anyMatch(n -> n.contains("engine-core"))
          .anyMatch(n -> n.endsWith("-classes.jar"));
    }
  }

  @Test
  void aFatJarOfTheApplicationAndTheEngine() throws Exception {
    Path jar = tmp.resolve("fat-app.jar");
    Map<String, StringBuilder> services = new LinkedHashMap<>();
    try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(jar), manifest(MAIN))) {
      Set<String> seen = new HashSet<>();
      copyTree(classes, out, "");
      for (Path e : engine) {
        if (Files.isDirectory(e)) {
          copyEntries(jarOf(e), out, "", seen, name -> true, services);
        } else {
          copyEntries(e, out, "", seen, name -> true, services);
        }
      }
      for (Map.Entry<String, StringBuilder> s : services.entrySet()) {
        out.putNextEntry(new ZipEntry(s.getKey()));
        out.write(s.getValue().toString().getBytes(StandardCharsets.UTF_8));
      }
    }
    DaemonFixture.Child app = children.start(new ProcessBuilder(java(), "-jar", jar.toString()));
    assertRan(app, "jdk.internal.loader.ClassLoaders$AppClassLoader");
  }

  @Test
  void mavenExecJava() throws Exception {
    Path project = Files.createDirectories(tmp.resolve("exec-project"));
    StringBuilder elements = new StringBuilder("<additionalClasspathElement>" + classes + "</additionalClasspathElement>");
    for (Path e : engine) {
      elements.append("<additionalClasspathElement>").append(e).append("</additionalClasspathElement>");
    }
    Files.writeString(project.resolve("pom.xml"), """
        <project xmlns="http://maven.apache.org/POM/4.0.0">
          <modelVersion>4.0.0</modelVersion>
          <groupId>launched</groupId><artifactId>launched</artifactId><version>1</version><packaging>pom</packaging>
          <build><plugins><plugin>
            <groupId>org.codehaus.mojo</groupId><artifactId>exec-maven-plugin</artifactId><version>3.5.0</version>
            <configuration>
              <mainClass>%s</mainClass>
              <cleanupDaemonThreads>false</cleanupDaemonThreads>
              <additionalClasspathElements>%s</additionalClasspathElements>
            </configuration>
          </plugin></plugins></build>
        </project>
        """.formatted(MAIN, elements));
    Path mvnw = Path.of(System.getProperty("jobengine.mvnw")).toAbsolutePath().normalize();
    ProcessBuilder pb = new ProcessBuilder(mvnw.toString(), "-B", "-q", "-f", project.resolve("pom.xml").toString(),
        "exec:java").directory(mvnw.getParent().toFile());
    pb.environment().put("JAVA_HOME", System.getProperty("java.home"));
    pb.environment().remove("MAVEN_OPTS");
    DaemonFixture.Child app = children.start(pb);
    assertRan(app, "org.codehaus.mojo.exec");
  }

  private static void assertRan(DaemonFixture.Child app, String loader) throws Exception {
    try {
      assertThat(app.process().waitFor(120, TimeUnit.SECONDS)).as("the application ends").isTrue();
    } catch (AssertionError | InterruptedException e) {
      throw new AssertionError("the application did not finish; it printed:\n  " + String.join("\n  ", app.output()), e);
    }
    List<String> out = withoutMavensOwnUnsafeNotice(app.output());
    assertThat(app.process().exitValue()).as("exit status; output:\n%s", String.join("\n", out)).isZero();
    assertThat(out).as("the application's classes come from the launcher's loader")
        .anyMatch(l -> l.startsWith("loader ") && l.contains(loader));
    assertThat(out).containsSubsequence("map [1, 4, 9, 16]", "own 49", "callback 36", "process hello from 9", "exit 0", "done");
    assertThat(out).as("nothing failed, nothing warned")
        .noneMatch(l -> l.contains("Exception") || l.contains("ERROR") || l.contains("WARN"));
  }

  /**
   * {@code output} without the JDK's notice (JDK 24 and later) that Maven's own Guice calls
   * sun.misc.Unsafe: in {@code exec:java} the application runs in Maven's JVM. Any other warning
   * stays.
   */
  private static List<String> withoutMavensOwnUnsafeNotice(List<String> output) {
    List<String> rest = new java.util.ArrayList<>(output);
    for (int i = 1; i + 2 < rest.size(); i++) {
      if (rest.get(i).startsWith("WARNING: sun.misc.Unsafe::") && rest.get(i).contains("/apache-maven-")
          && rest.get(i - 1).startsWith("WARNING: A terminally deprecated method in sun.misc.Unsafe")) {
        rest.subList(i - 1, i + 3).clear();
        break;
      }
    }
    return rest;
  }

  private static String java() {
    return Path.of(System.getProperty("java.home"), "bin", "java").toString();
  }

  private static String join(List<Path> paths) {
    return paths.stream().map(Path::toString).collect(Collectors.joining(File.pathSeparator));
  }

  private static Manifest manifest(String main) {
    Manifest m = new Manifest();
    m.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
    m.getMainAttributes().put(Attributes.Name.MAIN_CLASS, main);
    m.getMainAttributes().putValue("Multi-Release", "true");
    return m;
  }

  /** Every directory and file under {@code dir}, as entries under {@code prefix} (its own entry included). */
  private static void copyTree(Path dir, JarOutputStream out, String prefix) throws IOException {
    List<Path> all;
    try (Stream<Path> walk = Files.walk(dir)) {
      all = walk.sorted().toList();
    }
    if (!prefix.isEmpty()) { // nested-jar launchers look for their directories' own entries
      String[] parts = prefix.split("/");
      String at = "";
      for (String part : parts) {
        at += part + "/";
        out.putNextEntry(new ZipEntry(at));
      }
    }
    for (Path f : all) {
      String name = prefix + dir.relativize(f).toString().replace(File.separatorChar, '/');
      if (Files.isDirectory(f)) {
        if (!f.equals(dir)) {
          out.putNextEntry(new ZipEntry(name + "/"));
        }
        continue;
      }
      out.putNextEntry(new ZipEntry(name));
      Files.copy(f, out);
    }
  }

  private static void copyEntries(Path jar, JarOutputStream out, String prefix, Set<String> seen,
      java.util.function.Predicate<String> take) throws IOException {
    copyEntries(jar, out, prefix, seen, take, null);
  }

  /** A jar's entries (not its signature or manifest; service files gathered into {@code services}). */
  private static void copyEntries(Path jar, JarOutputStream out, String prefix, Set<String> seen,
      java.util.function.Predicate<String> take, Map<String, StringBuilder> services) throws IOException {
    try (ZipFile zip = new ZipFile(jar.toFile())) {
      for (Enumeration<? extends ZipEntry> all = zip.entries(); all.hasMoreElements(); ) {
        ZipEntry e = all.nextElement();
        String name = e.getName();
        if (e.isDirectory() || !take.test(name) || name.equals("META-INF/MANIFEST.MF")
            || name.matches("META-INF/[^/]+\\.(SF|RSA|DSA|EC)") || name.endsWith("module-info.class")) {
          continue;
        }
        if (services != null && name.startsWith("META-INF/services/")) {
          try (InputStream in = zip.getInputStream(e)) {
            services.computeIfAbsent(name, k -> new StringBuilder())
                .append(new String(in.readAllBytes(), StandardCharsets.UTF_8)).append('\n');
          }
          continue;
        }
        if (seen.add(prefix + name)) {
          out.putNextEntry(new ZipEntry(prefix + name));
          try (InputStream in = zip.getInputStream(e)) {
            in.transferTo(out);
          }
        }
      }
    }
  }

  /** A jar's bytes; a class directory packed first. */
  private static byte[] jarBytes(Path entry) throws IOException {
    return Files.readAllBytes(Files.isDirectory(entry) ? jarOf(entry) : entry);
  }

  private static Path jarOf(Path dir) throws IOException {
    Path jar = Files.createTempFile(tmp, dir.getFileName().toString(), ".jar");
    try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(jar))) {
      copyTree(dir, out, "");
    }
    return jar;
  }

  /** An uncompressed entry, as nested-jar launchers need them. */
  private static void stored(JarOutputStream out, String name, byte[] data) throws IOException {
    ZipEntry e = new ZipEntry(name);
    e.setMethod(ZipEntry.STORED);
    e.setSize(data.length);
    e.setCompressedSize(data.length);
    CRC32 crc = new CRC32();
    crc.update(data);
    e.setCrc(crc.getValue());
    out.putNextEntry(e);
    out.write(data);
  }
}
