package dev.jobengine.examples;

import dev.jobengine.Engine;
import dev.jobengine.JoinableQueue;
import dev.jobengine.SharedMap;
import java.time.Duration;

/**
 * Daemon consumer processes loop {take; work; taskDone} forever; the master puts the work and
 * waits with {@code join()} until every item is done. Closing the engine ends the daemons.
 */
public final class JoinableQueueWorkers {
  static final int ITEMS = 60;

  private JoinableQueueWorkers() {}

  public static String run(Engine engine) throws Exception {
    JoinableQueue<Integer> queue = engine.joinableQueue("jq-work");
    SharedMap<Integer, Integer> squares = engine.map("jq-squares");
    for (int c = 0; c < 3; c++) {
      engine.process(() -> {
        while (true) {
          int x = queue.take();
          squares.put(x, x * x);
          queue.taskDone();
        }
      }).name("consumer-" + c).daemon(true).start();
    }
    for (int i = 0; i < ITEMS; i++) {
      queue.put(i);
    }
    if (!queue.join(Duration.ofMinutes(2))) {
      throw new IllegalStateException("join() timed out");
    }
    return "join() returned with " + squares.size() + " of " + ITEMS + " items done";
  }
}
