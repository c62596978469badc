package dev.jobengine.test;

import dev.jobengine.Codec;
import dev.jobengine.Engine;
import dev.jobengine.EngineOptions;
import java.lang.reflect.Field;
import java.lang.reflect.InaccessibleObjectException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionConfigurationException;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolutionException;
import org.junit.jupiter.api.extension.ParameterResolver;
import org.junit.platform.commons.support.AnnotationSupport;
import org.junit.platform.commons.support.HierarchyTraversalMode;
import org.junit.platform.commons.support.ReflectionSupport;

/**
 * Gives each test an embedded {@link Engine} of its own, and fails the test if anything of that
 * engine outlives it.
 *
 * <pre>{@code
 * @ExtendWith(JobEngineExtension.class)
 * class MyTest {
 *   @Test
 *   void squares(Engine engine) throws Exception {
 *     try (Pool pool = engine.pool(2)) {
 *       assertThat(pool.map((Integer x) -> x * x, List.of(1, 2, 3))).containsExactly(1, 4, 9);
 *     }
 *   }
 * }
 * }</pre>
 *
 * <p><b>Before each test</b> it starts an engine with the options of the nearest {@link
 * EngineSettings} (test method, then its class and the classes enclosing it), or the defaults. It
 * hands the engine to parameters of type {@link Engine} of the test method and of its
 * {@code @BeforeEach} and {@code @AfterEach} methods, and sets every non-static field of type
 * {@link Engine} of the test instance (and of the instances enclosing a {@code @Nested} one), so
 * {@code @BeforeEach} methods can already use it. Parameters and fields of type {@link Faults} get
 * the fault injection of the same engine.
 *
 * <p><b>After each test</b> (after its {@code @AfterEach} methods) it resumes every worker the test
 * stopped through {@link Faults}, then closes the engine on a thread of its own and waits for that
 * at most {@link EngineSettings#closeTimeoutMillis()} (by default the shutdown timeout plus 10 s).
 * Then every worker JVM of the engine still running, and every process those live workers started,
 * is killed with SIGKILL (a process whose worker died first belongs to nobody any more, and is not
 * found). The test fails, naming each such process by pid and command line, and naming
 * a close that did not return in time with where it was stuck. A test may close the engine itself;
 * closing again does nothing.
 */
public final class JobEngineExtension implements BeforeEachCallback, AfterEachCallback, ParameterResolver {
  private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(JobEngineExtension.class);
  private static final String KEY = "engine";
  private static final Duration CLOSE_MARGIN = Duration.ofSeconds(10);

  /** For {@code @ExtendWith}. */
  public JobEngineExtension() {}

  @Override
  public void beforeEach(ExtensionContext context) {
    EngineSettings settings = settingsFor(context).orElse(null);
    EngineOptions options = settings == null ? EngineOptions.defaults() : options(settings);
    EngineUnderTest engine = EngineUnderTest.start(options, closeTimeout(settings, options));
    context.getStore(NAMESPACE).put(KEY, engine);
    for (Object instance : context.getRequiredTestInstances().getAllInstances()) {
      inject(instance, engine);
    }
  }

  @Override
  public void afterEach(ExtensionContext context) {
    EngineUnderTest engine = context.getStore(NAMESPACE).remove(KEY, EngineUnderTest.class);
    if (engine == null) {
      return;
    }
    List<String> problems = engine.closeAndCheck(context.getDisplayName());
    if (!problems.isEmpty()) {
      throw new AssertionError(context.getDisplayName() + ": the engine did not end cleanly:\n  - "
          + String.join("\n  - ", problems));
    }
  }

  @Override
  public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
    Class<?> type = parameter.getParameter().getType();
    return (type == Engine.class || type == Faults.class) && parameter.getDeclaringExecutable() instanceof Method;
  }

  @Override
  public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
    EngineUnderTest engine = context.getStore(NAMESPACE).get(KEY, EngineUnderTest.class);
    if (engine == null) {
      throw new ParameterResolutionException("JobEngineExtension starts an engine per test; there is none for "
          + parameter.getDeclaringExecutable() + " (a @BeforeAll or @AfterAll method has no test)");
    }
    return parameter.getParameter().getType() == Engine.class ? engine.engine() : engine.faults();
  }

  /** The engine options an annotation stands for. */
  static EngineOptions options(EngineSettings settings) {
    return EngineOptions.builder()
        .transport(settings.transport())
        .maxPayloadBytes(settings.maxPayloadBytes())
        .codec(codec(settings.codec()))
        .shutdownTimeout(Duration.ofMillis(settings.shutdownTimeoutMillis()))
        .standbyWorkers(settings.standbyWorkers())
        .build();
  }

  static Duration closeTimeout(EngineSettings settings, EngineOptions options) {
    if (settings == null || settings.closeTimeoutMillis() < 0) {
      return options.shutdownTimeout().plus(CLOSE_MARGIN);
    }
    return Duration.ofMillis(settings.closeTimeoutMillis());
  }

  /** The annotation nearest the test: on the method, else on its class, else on an enclosing class. */
  private static Optional<EngineSettings> settingsFor(ExtensionContext context) {
    for (Optional<ExtensionContext> c = Optional.of(context); c.isPresent(); c = c.get().getParent()) {
      Optional<EngineSettings> found = AnnotationSupport.findAnnotation(c.get().getElement(), EngineSettings.class);
      if (found.isPresent()) {
        return found;
      }
    }
    return Optional.empty();
  }

  private static Codec codec(Class<? extends Codec> type) {
    try {
      return type.getConstructor().newInstance();
    } catch (ReflectiveOperationException | RuntimeException e) {
      throw new ExtensionConfigurationException(
          "@EngineSettings codec " + type.getName() + " cannot be created with its public no-argument constructor", e);
    }
  }

  private static void inject(Object instance, EngineUnderTest engine) {
    List<Field> fields = ReflectionSupport.findFields(instance.getClass(),
        f -> !Modifier.isStatic(f.getModifiers()) && (f.getType() == Engine.class || f.getType() == Faults.class),
        HierarchyTraversalMode.TOP_DOWN);
    for (Field f : fields) {
      if (Modifier.isFinal(f.getModifiers())) {
        throw new ExtensionConfigurationException(
            "JobEngineExtension cannot set final field " + f + "; make it non-final or take a parameter");
      }
      try {
        f.setAccessible(true);
        f.set(instance, f.getType() == Engine.class ? engine.engine() : engine.faults());
      } catch (IllegalAccessException | InaccessibleObjectException e) {
        throw new ExtensionConfigurationException("JobEngineExtension cannot set field " + f
            + " (on the module path, open the test's package to dev.jobengine.test)", e);
      }
    }
  }
}
