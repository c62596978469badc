package dev.jobengine.examples;

import dev.jobengine.Engine;
import dev.jobengine.EngineProcess;
import dev.jobengine.SharedEvent;
import dev.jobengine.SharedList;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * A traffic light (an Event: set = green) switches a few times; car processes wait for green and
 * pass. The log shows that every car passed while the light was green.
 */
public final class TrafficLight {
  static final int CARS = 6;

  private TrafficLight() {}

  public static String run(Engine engine) throws Exception {
    SharedEvent green = engine.event("light-green");
    SharedList<String> log = engine.list("light-log");
    List<EngineProcess> cars = new ArrayList<>();
    for (int c = 0; c < CARS; c++) {
      int car = c;
      cars.add(engine.process(() -> {
        green.await();
        log.add("car " + car + " passed on " + (green.isSet() ? "green" : "red"));
      }).name("car-" + c).start());
    }
    log.add("light red");
    for (int cycle = 0; cycle < 3; cycle++) {
      if (cars.stream().allMatch(p -> !p.isAlive() && p.pid() > 0)) {
        break;
      }
      green.set();
      log.add("light green");
      for (EngineProcess p : cars) {
        p.join(Duration.ofSeconds(20));
      }
      green.clear();
      log.add("light red");
    }
    for (EngineProcess p : cars) {
      ProducerConsumer.joinOrFail(p);
    }
    long passed = log.stream().filter(s -> s.startsWith("car ")).count();
    return passed + " of " + CARS + " cars passed; log: " + log;
  }
}
