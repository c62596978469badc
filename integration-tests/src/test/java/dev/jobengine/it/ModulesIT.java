package dev.jobengine.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.jobengine.Engine;
import dev.jobengine.Internal;
import dev.jobengine.core.WorkerConfig;
import dev.jobengine.master.MasterEngineProvider;
import java.io.IOException;
import java.io.InputStream;
import java.lang.module.ModuleDescriptor;
import java.lang.module.ModuleFinder;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * What the built jars say about themselves: engine-api is a module exporting only the public API;
 * the other modules have stable automatic names and mark every package internal; engine-master
 * refers to nothing of the worker runtime.
 */
class ModulesIT {
  /** The jar a class was loaded from (its module's own jar, next to its classes directory if need be). */
  private static Path jarOf(Class<?> type) throws URISyntaxException, IOException {
    Path p = Path.of(type.getProtectionDomain().getCodeSource().getLocation().toURI());
    if (Files.isRegularFile(p)) {
      return p;
    }
    try (Stream<Path> siblings = Files.list(p.getParent())) {
      return siblings
          .filter(f -> f.getFileName().toString().matches("[a-z-]+-[0-9][^/]*(?<!-tests)\\.jar"))
          .findFirst()
          .orElseThrow(() -> new AssertionError("no jar built next to " + p));
    }
  }

  private static ModuleDescriptor descriptor(Path jar) {
    return ModuleFinder.of(jar).findAll().iterator().next().descriptor();
  }

  private static Set<String> packagesWithClasses(Path jar) throws IOException {
    Set<String> packages = new TreeSet<>();
    try (JarFile j = new JarFile(jar.toFile())) {
      for (Enumeration<JarEntry> e = j.entries(); e.hasMoreElements(); ) {
        String name = e.nextElement().getName();
        if (name.endsWith(".class") && !name.startsWith("META-INF/") && !name.endsWith("module-info.class")) {
          packages.add(name.substring(0, name.lastIndexOf('/')).replace('/', '.'));
        }
      }
    }
    return packages;
  }

  @Test
  void engineApiIsAModuleThatExportsOnlyThePublicApi() throws Exception {
    ModuleDescriptor api = descriptor(jarOf(Engine.class));
    assertThat(api.name()).isEqualTo("dev.jobengine");
    assertThat(api.isAutomatic()).isFalse();
    assertThat(api.exports()).extracting(ModuleDescriptor.Exports::source)
        .containsExactlyInAnyOrder("dev.jobengine", "dev.jobengine.spi");
    assertThat(api.uses()).containsExactly("dev.jobengine.spi.EngineProvider");
    assertThat(api.requires()).extracting(ModuleDescriptor.Requires::name).containsExactly("java.base");
  }

  /** engine-master's one public package: the Micrometer binder, for applications that bind meters. */
  private static final String PUBLISHED_IN_MASTER = "dev.jobengine.micrometer";

  @Test
  void theOtherModulesHaveStableNamesAndEveryPackageIsMarkedInternal() throws Exception {
    Path core = jarOf(WorkerConfig.class);
    Path master = jarOf(MasterEngineProvider.class);
    Path worker = jarOf(Class.forName(WorkerConfig.MAIN_CLASS));
    assertThat(descriptor(core).name()).isEqualTo("dev.jobengine.core");
    assertThat(descriptor(worker).name()).isEqualTo("dev.jobengine.worker");
    assertThat(descriptor(master).name()).isEqualTo("dev.jobengine.master");
    List<String> unmarked = new ArrayList<>();
    for (Path jar : List.of(core, worker, master)) {
      for (String pkg : packagesWithClasses(jar)) {
        Class<?> info;
        try {
          info = Class.forName(pkg + ".package-info");
        } catch (ClassNotFoundException e) {
          unmarked.add(pkg + " (no package-info)");
          continue;
        }
        boolean published = pkg.equals(PUBLISHED_IN_MASTER);
        if ((info.getAnnotation(Internal.class) == null) != published) {
          unmarked.add(pkg + (published ? " (public API, marked @Internal)" : ""));
        }
      }
    }
    assertThat(unmarked).as("packages without @Internal").isEmpty();
  }

  @Test
  void engineMasterRefersToNothingOfTheWorkerRuntime() throws Exception {
    List<String> referring = new ArrayList<>();
    try (JarFile j = new JarFile(jarOf(MasterEngineProvider.class).toFile())) {
      for (Enumeration<JarEntry> e = j.entries(); e.hasMoreElements(); ) {
        JarEntry entry = e.nextElement();
        if (!entry.getName().endsWith(".class")) {
          continue;
        }
        try (InputStream in = j.getInputStream(entry)) {
          // a class referred to appears in the constant pool by its internal name
          if (new String(in.readAllBytes(), StandardCharsets.ISO_8859_1).contains("dev/jobengine/worker/")) {
            referring.add(entry.getName());
          }
        }
      }
    }
    assertThat(referring).as("engine-master classes naming a worker class").isEmpty();
  }
}
