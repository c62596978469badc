package dev.jobengine.test;

import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectMethod;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.platform.engine.DiscoverySelector;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.engine.support.descriptor.MethodSource;
import org.junit.platform.launcher.LauncherDiscoveryRequest;
import org.junit.platform.launcher.TestExecutionListener;
import org.junit.platform.launcher.TestIdentifier;
import org.junit.platform.launcher.core.LauncherDiscoveryRequestBuilder;
import org.junit.platform.launcher.core.LauncherFactory;

/**
 * Runs a sample test class (one that leaks or hangs on purpose) through the JUnit launcher and
 * returns how each of its tests ended. Samples run only from here: they are enabled by {@link
 * #running()}.
 */
final class SampleRunner {
  private static volatile boolean running;

  private SampleRunner() {}

  /** For {@code @EnabledIf}: true while a sample runs through this class. */
  static boolean running() {
    return running;
  }

  /** How the test method {@code sample#method(parameterTypes)} ended, e.g. {@code "dev.jobengine.Engine"}. */
  static TestExecutionResult run(Class<?> sample, String method, String parameterTypes) {
    Map<String, TestExecutionResult> results = run(selectMethod(sample.getName() + "#" + method + "(" + parameterTypes + ")"));
    if (!results.containsKey(method)) {
      throw new AssertionError("sample " + sample.getName() + "#" + method + " did not run: " + results);
    }
    return results.get(method);
  }

  /** Each test of {@code sample} by method name, with how it ended. */
  static Map<String, TestExecutionResult> run(Class<?> sample) {
    return run(selectClass(sample));
  }

  private static synchronized Map<String, TestExecutionResult> run(DiscoverySelector selector) {
    Map<String, TestExecutionResult> results = new ConcurrentHashMap<>();
    LauncherDiscoveryRequest request = LauncherDiscoveryRequestBuilder.request()
        .selectors(selector)
        .configurationParameter("junit.jupiter.extensions.autodetection.enabled", "false")
        .build();
    TestExecutionListener listener = new TestExecutionListener() {
      @Override
      public void executionFinished(TestIdentifier id, TestExecutionResult result) {
        id.getSource()
            .filter(MethodSource.class::isInstance)
            .ifPresent(source -> results.put(((MethodSource) source).getMethodName(), result));
      }
    };
    running = true;
    try {
      LauncherFactory.create().execute(request, listener);
    } finally {
      running = false;
    }
    return results;
  }
}
