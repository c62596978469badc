package dev.jobengine.it;

import dev.jobengine.Engine;
import dev.jobengine.SharedLock;
import dev.jobengine.SharedQueue;
import java.nio.file.Path;

/**
 * A client JVM of a daemon, for DaemonIT: {@code DaemonClient ADDRESS KEYFILE}: connects, takes
 * the lock "shared-lock", puts "hello from <pid>" on the queue "shared-queue", prints READY, and waits for its
 * standard input to end; then releases the lock and exits 0.
 */
public final class DaemonClient {
  private DaemonClient() {}

  public static void main(String[] args) throws Exception {
    try (Engine engine = Engine.connect(args[0], Path.of(args[1]))) {
      SharedLock lock = engine.lock("shared-lock");
      SharedQueue<String> queue = engine.queue("shared-queue");
      lock.lock();
      queue.put("hello from " + ProcessHandle.current().pid());
      System.out.println("READY");
      System.out.flush();
      while (System.in.read() >= 0) {
        // wait for the test to close our stdin (or to kill us)
      }
      lock.unlock();
    }
  }
}
