package dev.jobengine.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.jobengine.Engine;
import dev.jobengine.core.code.ClassPathArtifacts;
import java.io.File;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The runtime jar (dev.jobengine:jobengine), as a user's project gets it: beside engine-api,
 * slf4j-api and the application's own Netty and protobuf, of other versions than the engine's.
 */
class ShadedRuntimeIT {
  private static final Path RUNTIME = Path.of(System.getProperty("jobengine.runtime")).toAbsolutePath().normalize();
  private static final Path RUNTIME_POM = Path.of(System.getProperty("jobengine.runtimePom"));
  private static final Path LIBRARIES = Path.of(System.getProperty("jobengine.applicationLibraries"));
  private static final String NETTY = "4.1.138.Final";
  private static final String PROTOBUF = "4.31.1";
  private static final String NATIVE_PREFIX = "libdev_jobengine_shaded_netty_transport_native_epoll_";

  @TempDir Path dir;
  private Process app;

  @AfterEach
  void killLeftovers() throws InterruptedException {
    if (app != null) {
      app.descendants().forEach(ProcessHandle::destroyForcibly);
      app.destroyForcibly();
      app.waitFor(10, TimeUnit.SECONDS);
    }
  }

  @Test
  @Timeout(60)
  void anApplicationKeepsItsOwnNettyAndProtobufWhileThePoolRunsOverEpollUnixSockets() throws Exception {
    assumeTrue(System.getProperty("os.name").startsWith("Linux"), "epoll and Unix domain sockets are Linux's");
    List<String> classPath = List.of(RUNTIME.toString(), jarOf(Engine.class), jarOf(org.slf4j.Logger.class),
        library("netty-common-" + NETTY + ".jar"), library("netty-buffer-" + NETTY + ".jar"),
        library("protobuf-java-" + PROTOBUF + ".jar"), appClasses().toString());
    List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
    int jdk = Runtime.version().feature();
    if (jdk >= 22) {
      cmd.add("--enable-native-access=ALL-UNNAMED"); // as a user on a newer JDK does for any native library
    }
    if (jdk >= 23) {
      cmd.add("--sun-misc-unsafe-memory-access=allow");
    }
    cmd.addAll(List.of("-cp", String.join(File.pathSeparator, classPath), ShadedApp.class.getName()));
    Path stderr = dir.resolve("stderr.txt");
    app = new ProcessBuilder(cmd).redirectError(stderr.toFile()).start();
    List<String> lines = new CopyOnWriteArrayList<>();
    Thread reader = Processes.readLines(app, lines, "shaded-app-output");

    assertThat(app.waitFor(45, TimeUnit.SECONDS)).as("the application ended; it printed " + lines).isTrue();
    reader.join(5_000);
    String errors = Files.readString(stderr);
    System.out.println("the application on the runtime jar printed:");
    lines.forEach(l -> System.out.println("  | " + l));
    assertThat(app.exitValue()).as("exit status; stderr: " + errors).isZero();
    assertThat(errors).as("nothing on stderr: no warnings").isEmpty();

    assertThat(lines).contains("RESULT tasks=" + ShadedApp.TASKS + " counted=" + ShadedApp.TASKS);
    String master = lines.stream().filter(l -> l.startsWith("master ")).findFirst().orElseThrow();
    List<String> workers = lines.stream().filter(l -> l.startsWith("worker ")).toList();
    assertThat(workers).hasSize(ShadedApp.TASKS);
    for (String seen : workers.stream().distinct().toList()) {
      assertThat(seen).contains(" netty=" + NETTY + " from=netty-common-" + NETTY + ".jar",
          " protobuf=" + PROTOBUF + " from=protobuf-java-" + PROTOBUF + ".jar", " used=6", " epoll=true");
      assertThat(field(seen, "native")).as("the relocated epoll library, loaded by the worker").startsWith(NATIVE_PREFIX);
      assertThat(field(seen, "classpath")).as("the worker boots on the engine's jars; the application's come through its lease")
          .isEqualTo(String.join(",", RUNTIME.getFileName().toString(), Path.of(jarOf(Engine.class)).getFileName().toString(),
              Path.of(jarOf(org.slf4j.Logger.class)).getFileName().toString()));
      assertThat(field(seen, "pid")).isNotEqualTo(field(master, "pid"));
    }
    assertThat(master).contains(" netty=" + NETTY + " from=netty-common-" + NETTY + ".jar",
        " protobuf=" + PROTOBUF + " from=protobuf-java-" + PROTOBUF + ".jar", " used=6", " epoll=true");
    assertThat(field(master, "native")).as("the relocated epoll library, loaded by the master").startsWith(NATIVE_PREFIX);
  }

  @Test
  @Timeout(60)
  void withLogbackAndNoConfigurationTheEnginesLibrariesSayNothingBelowInfo() throws Exception {
    List<String> classPath = List.of(RUNTIME.toString(), jarOf(Engine.class), jarOf(org.slf4j.Logger.class),
        jarOf(ch.qos.logback.classic.Logger.class), jarOf(ch.qos.logback.core.Appender.class),
        library("netty-common-" + NETTY + ".jar"), library("netty-buffer-" + NETTY + ".jar"),
        library("protobuf-java-" + PROTOBUF + ".jar"), appClasses().toString());
    List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-cp", String.join(File.pathSeparator, classPath), ShadedApp.class.getName()));
    app = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    List<String> lines = new CopyOnWriteArrayList<>();
    Thread reader = Processes.readLines(app, lines, "shaded-app-output");
    assertThat(app.waitFor(45, TimeUnit.SECONDS)).as("the application ended; it printed " + lines).isTrue();
    reader.join(5_000);
    assertThat(app.exitValue()).as("exit status; output: " + lines).isZero();
    assertThat(lines).contains("RESULT tasks=" + ShadedApp.TASKS + " counted=" + ShadedApp.TASKS);
    assertThat(lines).as("Logback logs everything at DEBUG without a configuration; not gRPC's and Netty's frames")
        .noneMatch(l -> l.contains(" DEBUG dev.jobengine.shaded.") || l.contains(" TRACE dev.jobengine.shaded."));
  }

  @Test
  void theJarHoldsTheEngineAndItsLibrariesRelocatedAndDependsOnlyOnTheApiAndSlf4j() throws Exception {
    List<String> outside = new ArrayList<>();
    List<String> natives = new ArrayList<>();
    List<String> services = new ArrayList<>();
    try (JarFile jar = new JarFile(RUNTIME.toFile())) {
      for (Enumeration<JarEntry> e = jar.entries(); e.hasMoreElements(); ) {
        String name = e.nextElement().getName();
        if (name.endsWith(".class")
            && (!name.startsWith("dev/jobengine/") || name.startsWith("dev/jobengine/spi/")
                || name.indexOf('/', "dev/jobengine/".length()) < 0 || name.startsWith("dev/jobengine/master/cli/"))) {
          outside.add(name); // neither the engine nor relocated; or engine-api's, or the command line's
        } else if (name.startsWith("META-INF/native/") && !name.endsWith("/")) {
          natives.add(name.substring("META-INF/native/".length()));
        } else if (name.startsWith("META-INF/services/") && !name.endsWith("/")) {
          services.add(name.substring("META-INF/services/".length()));
        }
      }
    }
    assertThat(outside).isEmpty();
    assertThat(natives).containsExactlyInAnyOrder(NATIVE_PREFIX + "x86_64.so", NATIVE_PREFIX + "aarch_64.so");
    assertThat(services).contains("dev.jobengine.spi.EngineProvider", "dev.jobengine.shaded.io.grpc.NameResolverProvider",
        "dev.jobengine.shaded.io.grpc.LoadBalancerProvider", "dev.jobengine.shaded.io.grpc.ManagedChannelProvider")
        .allMatch(s -> s.startsWith("dev.jobengine."));
    assertThat(ClassPathArtifacts.isEngineJar(RUNTIME)).as("the engine's own: never sent to a daemon").isTrue();

    List<String> dependencies = new ArrayList<>();
    Matcher m = Pattern.compile("<dependency>\\s*<groupId>([^<]+)</groupId>\\s*<artifactId>([^<]+)</artifactId>")
        .matcher(Files.readString(RUNTIME_POM));
    while (m.find()) {
      dependencies.add(m.group(1) + ":" + m.group(2));
    }
    assertThat(dependencies).containsExactly("dev.jobengine:engine-api", "org.slf4j:slf4j-api");
  }

  private static String field(String line, String name) {
    for (String part : line.split(" ")) {
      if (part.startsWith(name + "=")) {
        return part.substring(name.length() + 1);
      }
    }
    throw new AssertionError("no " + name + "= in " + line);
  }

  private static String library(String file) {
    Path p = LIBRARIES.resolve(file);
    assertThat(p).isRegularFile();
    return p.toString();
  }

  /** The jar the class comes from (the module's jar next to its classes directory, if need be). */
  private static String jarOf(Class<?> type) throws URISyntaxException, IOException {
    Path p = Path.of(type.getProtectionDomain().getCodeSource().getLocation().toURI());
    if (Files.isRegularFile(p)) {
      return p.toString();
    }
    try (Stream<Path> siblings = Files.list(p.getParent())) {
      return siblings.filter(f -> f.getFileName().toString().matches("[a-z-]+-[0-9][^/]*(?<!-tests|-sources)\\.jar"))
          .findFirst().orElseThrow(() -> new AssertionError("no jar built next to " + p)).toString();
    }
  }

  /** A directory with the application's classes only. */
  private Path appClasses() throws URISyntaxException, IOException {
    Path classes = Path.of(ShadedApp.class.getProtectionDomain().getCodeSource().getLocation().toURI());
    Path pkg = Files.createDirectories(dir.resolve("app/dev/jobengine/it"));
    try (Stream<Path> files = Files.list(classes.resolve("dev/jobengine/it"))) {
      for (Path f : files.filter(f -> f.getFileName().toString().matches("ShadedApp(\\$.*)?\\.class")).toList()) {
        Files.copy(f, pkg.resolve(f.getFileName()));
      }
    }
    return dir.resolve("app");
  }
}
