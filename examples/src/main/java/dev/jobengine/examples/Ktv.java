package dev.jobengine.examples;

import dev.jobengine.Engine;
import dev.jobengine.EngineProcess;
import dev.jobengine.SharedLock;
import dev.jobengine.SharedMap;
import dev.jobengine.SharedSemaphore;
import java.util.ArrayList;
import java.util.List;

/** A KTV with 4 rooms ({@code Semaphore(4)}) and 10 guests: never more than 4 sing at once. */
public final class Ktv {
  static final int ROOMS = 4;
  static final int GUESTS = 10;

  private Ktv() {}

  public static String run(Engine engine) throws Exception {
    SharedSemaphore rooms = engine.semaphore("ktv-rooms", ROOMS);
    SharedLock books = engine.lock("ktv-books");
    SharedMap<String, Integer> stats = engine.map("ktv-stats");
    stats.put("inside", 0);
    stats.put("most", 0);
    stats.put("sang", 0);
    List<EngineProcess> guests = new ArrayList<>();
    for (int g = 0; g < GUESTS; g++) {
      int guest = g;
      guests.add(engine.process(() -> {
        rooms.acquire();
        try {
          books.lock();
          try {
            int inside = stats.get("inside") + 1;
            stats.put("inside", inside);
            stats.put("most", Math.max(inside, stats.get("most")));
          } finally {
            books.unlock();
          }
          System.out.println("guest " + guest + " sings in a room");
          Thread.sleep(100); // the song
          stats.merge("sang", 1, Integer::sum);
          books.lock();
          try {
            stats.put("inside", stats.get("inside") - 1);
          } finally {
            books.unlock();
          }
        } finally {
          rooms.release();
        }
      }).name("guest-" + g).start());
    }
    for (EngineProcess p : guests) {
      ProducerConsumer.joinOrFail(p);
    }
    return stats.get("sang") + " guests sang, at most " + stats.get("most") + " at once in " + ROOMS
        + " rooms; free rooms now " + rooms.availablePermits();
  }
}
