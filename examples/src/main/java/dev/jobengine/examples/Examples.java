package dev.jobengine.examples;

import dev.jobengine.Engine;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Runs one of the classic multiprocessing scenarios:
 * {@code java -jar examples/target/examples.jar <name>}; without a name, lists them.
 */
public final class Examples {
  /** A scenario: runs on an engine and returns a one-line account of what happened. */
  @FunctionalInterface
  public interface Scenario {
    String run(Engine engine) throws Exception;
  }

  public static final Map<String, Scenario> ALL = new LinkedHashMap<>();

  static {
    ALL.put("producer-consumer", ProducerConsumer::run);
    ALL.put("joinable-queue", JoinableQueueWorkers::run);
    ALL.put("locked-counter", LockedCounterFile::run);
    ALL.put("ktv", Ktv::run);
    ALL.put("traffic-light", TrafficLight::run);
    ALL.put("shared-list", SharedListResults::run);
    ALL.put("pipe", PipeSquares::run);
  }

  private Examples() {}

  public static void main(String[] args) throws Exception {
    if (args.length != 1 || !ALL.containsKey(args[0])) {
      System.out.println("usage: java -jar examples.jar <scenario>; scenarios: " + String.join(", ", ALL.keySet()));
      System.exit(args.length == 0 ? 0 : 2);
    }
    long t0 = System.nanoTime();
    try (Engine engine = Engine.start()) {
      String summary = ALL.get(args[0]).run(engine);
      System.out.printf("%n%s: %s (%.0f ms)%n", args[0], summary, (System.nanoTime() - t0) / 1e6);
    }
    System.exit(0);
  }
}
