package dev.jobengine.examples;

import dev.jobengine.Engine;
import dev.jobengine.EngineProcess;
import dev.jobengine.SharedLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Ten processes each add 1 to a number in a file 20 times, under a shared lock: none is lost. */
public final class LockedCounterFile {
  static final int PROCESSES = 10;
  static final int INCREMENTS = 20;

  private LockedCounterFile() {}

  public static String run(Engine engine) throws Exception {
    Path file = Files.createTempFile("jobengine-counter", ".txt");
    try {
      Files.writeString(file, "0");
      String path = file.toString();
      SharedLock lock = engine.lock("counter-file");
      List<EngineProcess> ps = new ArrayList<>();
      for (int i = 0; i < PROCESSES; i++) {
        ps.add(engine.process(() -> {
          for (int n = 0; n < INCREMENTS; n++) {
            lock.lock();
            try {
              Path f = Path.of(path);
              int value = Integer.parseInt(Files.readString(f).trim());
              Files.writeString(f, Integer.toString(value + 1));
            } finally {
              lock.unlock();
            }
          }
        }).start());
      }
      for (EngineProcess p : ps) {
        ProducerConsumer.joinOrFail(p);
      }
      return "counter = " + Files.readString(file).trim() + " (expected " + PROCESSES * INCREMENTS + ")";
    } finally {
      Files.deleteIfExists(file);
    }
  }
}
