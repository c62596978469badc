package dev.jobengine.core.code;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.List;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ClassPathArtifactsTest {
  @TempDir Path dir;

  private Path jar(String name, String... entries) throws IOException {
    Path jar = dir.resolve(name);
    try (OutputStream out = Files.newOutputStream(jar); ZipOutputStream zip = new ZipOutputStream(out)) {
      for (String e : entries) {
        zip.putNextEntry(new ZipEntry(e));
        zip.write(e.getBytes());
        zip.closeEntry();
      }
    }
    return jar;
  }

  @Test
  void theEnginesOwnJarsStayHomeAndTheApplicationsTravelNamedByTheirBytes() throws Exception {
    Path grpc = jar("grpc-core.jar", "io/grpc/Channel.class", "META-INF/MANIFEST.MF");
    Path epoll = jar("netty-epoll-linux.jar", "META-INF/native/libnetty_transport_native_epoll_x86_64.so");
    Path app = jar("app.jar", "com/acme/Task.class", "io/grpc/Shaded.class");
    Path resources = jar("resources.jar", "config.properties");
    Path classes = Files.createDirectories(dir.resolve("classes/com/acme"));
    Files.writeString(classes.resolve("Main.class"), "not really a class");
    String classPath = String.join(File.pathSeparator, grpc.toString(), epoll.toString(), app.toString(),
        resources.toString(), dir.resolve("classes").toString(), dir.resolve("missing.jar").toString());

    List<ClassPathArtifacts.Local> artifacts = ClassPathArtifacts.of(classPath);

    assertThat(artifacts).extracting(a -> a.artifact().getName()).containsExactly("app.jar", "resources.jar", "classes.jar");
    String expected = Artifacts.hex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(app)));
    assertThat(artifacts.get(0).artifact().getSha256()).isEqualTo(expected);
    assertThat(artifacts.get(0).artifact().getSize()).isEqualTo(Files.size(app));
    assertThat(ClassPathArtifacts.of(classPath).get(2).artifact().getSha256())
        .as("a class directory packs to the same bytes every time").isEqualTo(artifacts.get(2).artifact().getSha256());
  }

  @Test
  void theRuntimeJarWithItsRelocatedLibrariesStaysHome() throws Exception {
    Path runtime = jar("jobengine.jar", "META-INF/MANIFEST.MF", "dev/jobengine/master/MasterEngineProvider.class",
        "dev/jobengine/master/package-info.class",
        "dev/jobengine/core/WorkerConfig.class", "dev/jobengine/shaded/io/grpc/Channel.class",
        "dev/jobengine/shaded/com/google/protobuf/Message.class",
        "META-INF/native/libdev_jobengine_shaded_netty_transport_native_epoll_x86_64.so");
    Path app = jar("app.jar", "com/acme/Task.class", "dev/jobengine/shadedapp/Main.class");

    assertThat(ClassPathArtifacts.isEngineJar(runtime)).isTrue();
    assertThat(ClassPathArtifacts.of(runtime + File.pathSeparator + app)).extracting(a -> a.artifact().getName())
        .containsExactly("app.jar");
  }

  @Test
  void aJarsHashIsRememberedWhileItsSizeAndTimeStayTheSame() throws Exception {
    Path app = jar("remembered.jar", "com/acme/A.class");
    long modified = Files.getLastModifiedTime(app).toMillis();
    HashCache.put(app.toAbsolutePath().normalize(), Files.size(app), modified, "a".repeat(64));
    assertThat(HashCache.get(app.toAbsolutePath().normalize(), Files.size(app), modified)).isEqualTo("a".repeat(64));
    assertThat(HashCache.get(app.toAbsolutePath().normalize(), Files.size(app), modified + 1)).as("touched").isNull();
    assertThat(HashCache.get(app.toAbsolutePath().normalize(), Files.size(app) + 1, modified)).as("changed").isNull();
  }
}
