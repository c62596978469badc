package dev.jobengine.examples;

import dev.jobengine.Engine;
import dev.jobengine.EngineProcess;
import dev.jobengine.SharedList;
import dev.jobengine.SharedQueue;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Two producer processes put items on a queue; two consumer processes take them until each gets
 * its sentinel, which the master puts once the producers are done. Every item is consumed once.
 */
public final class ProducerConsumer {
  static final int PER_PRODUCER = 50;
  static final String SENTINEL = "STOP";

  private ProducerConsumer() {}

  public static String run(Engine engine) throws Exception {
    SharedQueue<Object> queue = engine.queue("pc-items", 10);
    SharedList<String> consumed = engine.list("pc-consumed");
    List<EngineProcess> consumers = new ArrayList<>();
    for (int c = 0; c < 2; c++) {
      String who = "consumer-" + c;
      consumers.add(engine.process(() -> {
        while (true) {
          Object item = queue.take();
          if (SENTINEL.equals(item)) {
            return;
          }
          consumed.add(who + ":" + item);
          System.out.println(who + " (pid " + ProcessHandle.current().pid() + ") got " + item);
        }
      }).name(who).start());
    }
    List<EngineProcess> producers = new ArrayList<>();
    for (int p = 0; p < 2; p++) {
      int producer = p;
      producers.add(engine.process(() -> {
        for (int i = 0; i < PER_PRODUCER; i++) {
          queue.put("p" + producer + "-" + i);
        }
      }).name("producer-" + p).start());
    }
    for (EngineProcess p : producers) {
      joinOrFail(p);
    }
    for (int c = 0; c < consumers.size(); c++) {
      queue.put(SENTINEL);
    }
    for (EngineProcess c : consumers) {
      joinOrFail(c);
    }
    return consumed.size() + " of " + 2 * PER_PRODUCER + " items consumed, queue left with " + queue.size();
  }

  static void joinOrFail(EngineProcess p) throws InterruptedException {
    if (!p.join(Duration.ofMinutes(2))) {
      p.kill();
      throw new IllegalStateException(p.name() + " did not finish");
    }
    if (p.exitCode().orElse(-99) != 0) {
      throw new IllegalStateException(p.name() + " exited with " + p.exitCode());
    }
  }
}
