package dev.jobengine.master.internal.code;

import dev.jobengine.JobEngineException;
import dev.jobengine.PoolOptions;
import dev.jobengine.core.code.LoaderClassPath;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The class loaders that hold an application's classes, for the pool or process it opens: the
 * one it names ({@link PoolOptions#classLoader()}), or else the loader of the class that called
 * into the engine, that of a process's job, and the calling thread's context class loader.
 */
public final class ApplicationLoaders {
  private static final StackWalker WALKER = StackWalker.getInstance(StackWalker.Option.RETAIN_CLASS_REFERENCE);

  private ApplicationLoaders() {}

  /**
   * For {@code options}, opened by the current thread, running {@code job} (null for a pool).
   * Throws JobEngineException when the calling class's own loader can give the workers neither
   * a file nor the bytes of that class.
   */
  public static List<ClassLoader> of(PoolOptions options, Object job) {
    List<ClassLoader> out = new ArrayList<>(3);
    if (options.classLoader() != null) {
      out.add(options.classLoader());
      return out;
    }
    Class<?> caller = caller().orElse(null);
    if (caller != null && caller.getClassLoader() != null) {
      ClassLoader l = caller.getClassLoader();
      if (!(l instanceof java.net.URLClassLoader) && l != ClassLoader.getSystemClassLoader()
          && l.getResource(caller.getName().replace('.', '/') + ".class") == null) {
        throw new JobEngineException("the workers cannot load " + caller.getName() + ": its class loader "
            + LoaderClassPath.describe(l)
            + " holds it in no file and gives no bytes for it; set PoolOptions.classPath to a class path that holds"
            + " the application (or PoolOptions.classLoader to a loader that gives its classes' bytes)");
      }
      add(out, l);
    }
    if (job != null) {
      add(out, job.getClass().getClassLoader());
    }
    add(out, Thread.currentThread().getContextClassLoader());
    return out;
  }

  private static void add(List<ClassLoader> out, ClassLoader l) {
    if (l != null && !out.contains(l)) {
      out.add(l);
    }
  }

  /** The first class on the stack that is not the engine's or the JDK's. */
  private static Optional<Class<?>> caller() {
    return WALKER.walk(frames -> frames.map(StackWalker.StackFrame::getDeclaringClass)
        .filter(c -> !(engineOrJdk(c.getName()) && c.getClassLoader() == ApplicationLoaders.class.getClassLoader()))
        .findFirst());
  }

  static boolean engineOrJdk(String name) {
    if (name.startsWith("java.") || name.startsWith("jdk.") || name.startsWith("sun.")) {
      return true;
    }
    if (name.startsWith("dev.jobengine.master.") || name.startsWith("dev.jobengine.core.")) {
      return true;
    }
    // the API's own types (Engine's default methods)
    return name.startsWith("dev.jobengine.") && name.indexOf('.', "dev.jobengine.".length()) < 0;
  }
}
