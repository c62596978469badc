package dev.jobengine.master.internal.supervisor;

import static org.assertj.core.api.Assertions.assertThat;

import dev.jobengine.PoolOptions;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** When workers record, use or skip a class-data-sharing archive. No JVMs are started. */
class ClassDataSharingTest {
  @TempDir Path tmp;

  private PoolOptions jarsOnly(String... extraJvmOptions) throws Exception {
    Path a = tmp.resolve("a.jar");
    Path b = tmp.resolve("b.jar");
    for (Path jar : List.of(a, b)) {
      if (!Files.exists(jar)) {
        Files.createFile(jar);
      }
    }
    List<String> jvm = new ArrayList<>(PoolOptions.DEFAULT_JVM_OPTIONS);
    jvm.addAll(List.of(extraJvmOptions));
    return PoolOptions.builder().classPath(a + File.pathSeparator + b).jvmOptions(jvm).build();
  }

  private static String option(ClassDataSharing.Use use, String prefix) {
    return use.jvmOptions().stream().filter(o -> o.startsWith(prefix)).findFirst().orElse(null);
  }

  @Test
  void theFirstWorkerRecordsTheOthersWaitThenAllUseTheArchive() throws Exception {
    Path dir = Files.createDirectory(tmp.resolve("cds"));
    PoolOptions options = jarsOnly();
    ClassDataSharing.Use first = ClassDataSharing.forWorker(options, dir);
    String record = option(first, "-XX:ArchiveClassesAtExit=");
    assertThat(record).isNotNull();
    assertThat(ClassDataSharing.forWorker(options, dir)).as("one recording at a time").isEqualTo(ClassDataSharing.Use.NONE);

    Files.writeString(Path.of(record.substring(record.indexOf('=') + 1)), "archive bytes");
    first.onExit().run();
    ClassDataSharing.Use later = ClassDataSharing.forWorker(options, dir);
    String use = option(later, "-XX:SharedArchiveFile=");
    assertThat(use).isNotNull();
    assertThat(Files.readString(Path.of(use.substring(use.indexOf('=') + 1)))).isEqualTo("archive bytes");
    assertThat(Files.list(dir)).as("no recording left behind").hasSize(1);
  }

  @Test
  void aWorkerThatDiesWithoutRecordingLetsTheNextOneTry() throws Exception {
    Path dir = Files.createDirectory(tmp.resolve("cds"));
    PoolOptions options = jarsOnly();
    ClassDataSharing.forWorker(options, dir).onExit().run();
    assertThat(option(ClassDataSharing.forWorker(options, dir), "-XX:ArchiveClassesAtExit=")).isNotNull();
  }

  @Test
  void nothingForDirectoriesOnTheClassPathOrOptionsThatChooseTheirOwnSharing() throws Exception {
    Path dir = Files.createDirectory(tmp.resolve("cds"));
    PoolOptions withDirectory = PoolOptions.builder().classPath(tmp.toString()).build();
    assertThat(ClassDataSharing.forWorker(withDirectory, dir)).isEqualTo(ClassDataSharing.Use.NONE);
    assertThat(ClassDataSharing.forWorker(jarsOnly("-Xshare:off"), dir)).isEqualTo(ClassDataSharing.Use.NONE);
    assertThat(ClassDataSharing.forWorker(jarsOnly(), null)).isEqualTo(ClassDataSharing.Use.NONE);
  }

  @Test
  void aRebuiltJarGetsANewArchive() throws Exception {
    Path dir = Files.createDirectory(tmp.resolve("cds"));
    PoolOptions options = jarsOnly();
    ClassDataSharing.Use first = ClassDataSharing.forWorker(options, dir);
    String record = option(first, "-XX:ArchiveClassesAtExit=");
    Files.writeString(Path.of(record.substring(record.indexOf('=') + 1)), "archive bytes");
    first.onExit().run();
    assertThat(option(ClassDataSharing.forWorker(options, dir), "-XX:SharedArchiveFile=")).isNotNull();

    Files.writeString(tmp.resolve("a.jar"), "rebuilt");
    assertThat(option(ClassDataSharing.forWorker(options, dir), "-XX:ArchiveClassesAtExit="))
        .as("the old archive no longer matches the jars").isNotNull();
  }

  @Test
  void onNewerJdksTheRecordingIsAssembledIntoAnAotCacheThatLaterWorkersUse() throws Exception {
    Path dir = Files.createDirectory(tmp.resolve("cds"));
    PoolOptions options = jarsOnly();
    List<List<String>> assemblies = new ArrayList<>();
    ClassDataSharing.Assembler assembler = (create, configuration, recording, archive, done) -> {
      assemblies.add(create);
      assertThat(create).contains("-XX:AOTCache=" + recording);
      try {
        Files.writeString(recording, "cache bytes");
        Files.move(recording, archive); // as the real assembly does once the cache is complete
        done.run();
      } catch (java.io.IOException e) {
        throw new java.io.UncheckedIOException(e);
      }
    };
    String classPath = options.classPath();
    ClassDataSharing.Use first = ClassDataSharing.forWorker(options, classPath, dir, assembler);
    assertThat(first.recording()).isTrue();
    assertThat(first.jvmOptions()).contains("-XX:AOTMode=record", "-XX:-DisplayVMOutput");
    String configuration = option(first, "-XX:AOTConfiguration=");
    assertThat(ClassDataSharing.forWorker(options, classPath, dir, assembler)).as("one recording at a time")
        .isEqualTo(ClassDataSharing.Use.NONE);

    Files.writeString(Path.of(configuration.substring(configuration.indexOf('=') + 1)), "recorded classes");
    first.onExit().run();
    assertThat(assemblies).singleElement().satisfies(create -> assertThat(create)
        .contains("-XX:AOTMode=create", configuration, "-cp", classPath)
        .contains("-XX:+UseSerialGC")
        .as("the JVM refuses -Xshare:auto with AOT options").doesNotContain("-Xshare:auto"));
    assertThat(ClassDataSharing.forWorker(options, dir).adapt(options.jvmOptions())).as("a dynamic archive keeps it")
        .contains("-Xshare:auto");
    ClassDataSharing.Use later = ClassDataSharing.forWorker(options, classPath, dir, assembler);
    String use = option(later, "-XX:AOTCache=");
    assertThat(use).isNotNull();
    assertThat(later.recording()).isFalse();
    assertThat(later.adapt(options.jvmOptions())).contains("-XX:+UseSerialGC").doesNotContain("-Xshare:auto");
    assertThat(Files.readString(Path.of(use.substring(use.indexOf('=') + 1)))).isEqualTo("cache bytes");
    assertThat(Files.list(dir)).as("no configuration or recording left behind").hasSize(1);
  }

  @Test
  void aRecordingWorkerThatDiesBeforeRecordingAssemblesNothing() throws Exception {
    Path dir = Files.createDirectory(tmp.resolve("cds"));
    PoolOptions options = jarsOnly();
    List<List<String>> assemblies = new ArrayList<>();
    ClassDataSharing.forWorker(options, options.classPath(), dir, (c, conf, r, a, done) -> assemblies.add(c)).onExit().run();
    assertThat(assemblies).isEmpty();
    assertThat(option(ClassDataSharing.forWorker(options, options.classPath(), dir, (c, conf, r, a, done) -> assemblies.add(c)), "-XX:AOTMode="))
        .isEqualTo("-XX:AOTMode=record");
    assertThat(ClassDataSharing.forWorker(jarsOnly("-XX:AOTCache=/x.aot"), options.classPath(), dir, (c, conf, r, a, done) -> assemblies.add(c)))
        .as("options that choose their own cache").isEqualTo(ClassDataSharing.Use.NONE);
  }
}
