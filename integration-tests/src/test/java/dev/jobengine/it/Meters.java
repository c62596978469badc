package dev.jobengine.it;

import dev.jobengine.Engine;
import dev.jobengine.micrometer.JobEngineMetrics;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

/**
 * An engine's meters in a fresh {@link SimpleMeterRegistry}, read by name and tags. Micrometer
 * types stay in here, so a test class that uses it loads without Micrometer on the class path
 * (where it is skipped, see {@link Micrometer#onClassPath()}).
 */
final class Meters {
  private final SimpleMeterRegistry registry = new SimpleMeterRegistry();

  private Meters() {}

  static Meters bind(Engine engine) {
    Meters meters = new Meters();
    new JobEngineMetrics(engine).bindTo(meters.registry);
    return meters;
  }

  double counter(String name, String... tags) {
    return registry.get(name).tags(tags).functionCounter().count();
  }

  double gauge(String name, String... tags) {
    return registry.get(name).tags(tags).gauge().value();
  }

  long timerCount(String name, String... tags) {
    return registry.get(name).tags(tags).timer().count();
  }

  double timerTotalMillis(String name, String... tags) {
    return registry.get(name).tags(tags).timer().totalTime(java.util.concurrent.TimeUnit.MILLISECONDS);
  }
}
