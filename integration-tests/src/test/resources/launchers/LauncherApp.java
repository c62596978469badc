package launched;

import dev.jobengine.Engine;
import dev.jobengine.EngineProcess;
import dev.jobengine.Job;
import dev.jobengine.Pool;
import dev.jobengine.SharedLock;
import dev.jobengine.SharedQueue;
import dev.jobengine.Task;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * An application of its own, run by whatever launcher a test picks: a map of a lambda, a task
 * class, a callback, a process that feeds a queue under a lock. It prints what it got.
 */
public class LauncherApp {
  /** A task class only this application has. */
  public static final class Square implements Task<Integer> {
    private final int x;

    public Square(int x) {
      this.x = x;
    }

    @Override
    public Integer call() {
      return Helper.square(x);
    }
  }

  /** Used from inside a task only: the worker loads it when the task runs. */
  static final class Helper {
    static int square(int x) {
      return x * x;
    }
  }

  /** A process's job: puts a line on the queue while holding the lock. */
  public static final class Producer implements Job {
    private final SharedQueue<String> queue;
    private final SharedLock lock;

    public Producer(SharedQueue<String> queue, SharedLock lock) {
      this.queue = queue;
      this.lock = lock;
    }

    @Override
    public void run() throws Exception {
      lock.lock();
      try {
        queue.put("hello from " + new Square(3).call());
      } finally {
        lock.unlock();
      }
    }
  }

  public static void main(String[] args) throws Exception {
    System.out.println("loader " + LauncherApp.class.getClassLoader().getClass().getName());
    try (Engine engine = Engine.start()) {
      try (Pool pool = engine.pool(2)) {
        List<Integer> squares = pool.map(x -> x * x, List.of(1, 2, 3, 4));
        System.out.println("map " + squares);
        System.out.println("own " + pool.apply(new Square(7)));
        CompletableFuture<Integer> called = new CompletableFuture<>();
        pool.applyAsync(new Square(6), called::complete);
        System.out.println("callback " + called.get(60, TimeUnit.SECONDS));
      }
      SharedQueue<String> queue = engine.queue("launched");
      SharedLock lock = engine.lock("launched-lock");
      EngineProcess p = engine.process(new Producer(queue, lock)).start();
      System.out.println("process " + queue.get(Duration.ofSeconds(60)));
      if (!p.join(Duration.ofSeconds(60))) {
        throw new IllegalStateException("the process did not end");
      }
      System.out.println("exit " + p.exitCode().orElse(-1));
    }
    System.out.println("done");
  }
}
