package dev.jobengine.master.internal.code;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.jobengine.JobEngineException;
import dev.jobengine.PoolOptions;
import java.io.IOException;
import java.io.InputStream;
import java.net.URL;
import java.util.List;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

class ApplicationLoadersTest {
  /** Opens "a pool" from whatever loader defined it. */
  public static final class Caller implements Supplier<List<ClassLoader>> {
    @Override
    public List<ClassLoader> get() {
      return ApplicationLoaders.of(PoolOptions.builder().build(), null);
    }
  }

  @Test
  void theCallersLoaderComesFirst() {
    List<ClassLoader> loaders = new Caller().get();
    assertThat(loaders).first().isSameAs(Caller.class.getClassLoader());
  }

  @Test
  void aLoaderTheOptionsNameIsTheOnlyOne() {
    ClassLoader mine = new ClassLoader("mine", null) {};
    assertThat(ApplicationLoaders.of(PoolOptions.builder().classLoader(mine).build(), null)).containsExactly(mine);
  }

  @Test
  void aCallerWhoseClassIsInNoFileAndWhoseLoaderGivesNoBytesIsAClearError() throws Exception {
    String name = Caller.class.getName();
    ClassLoader parent = getClass().getClassLoader();
    ClassLoader hiding = new ClassLoader("hiding", parent) {
      @Override
      protected Class<?> loadClass(String n, boolean resolve) throws ClassNotFoundException {
        if (!n.equals(name)) {
          return super.loadClass(n, resolve);
        }
        synchronized (getClassLoadingLock(n)) {
          Class<?> c = findLoadedClass(n);
          if (c != null) {
            return c;
          }
          try (InputStream in = parent.getResourceAsStream(n.replace('.', '/') + ".class")) {
            byte[] b = in.readAllBytes();
            return defineClass(n, b, 0, b.length);
          } catch (IOException e) {
            throw new ClassNotFoundException(n, e);
          }
        }
      }

      @Override
      public URL getResource(String n) {
        return n.startsWith(name.replace('.', '/')) ? null : super.getResource(n);
      }
    };
    @SuppressWarnings("unchecked")
    Supplier<List<ClassLoader>> caller = (Supplier<List<ClassLoader>>) hiding.loadClass(name).getConstructor().newInstance();
    assertThatThrownBy(caller::get).isInstanceOf(JobEngineException.class)
        .hasMessageContaining(name).hasMessageContaining("hiding").hasMessageContaining("PoolOptions.classPath");
  }
}
