package dev.jobengine.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.jobengine.AsyncResult;
import dev.jobengine.Engine;
import dev.jobengine.EngineOptions;
import dev.jobengine.Fn;
import dev.jobengine.Pool;
import dev.jobengine.PoolOptions;
import dev.jobengine.PoolTerminatedException;
import dev.jobengine.RemoteTaskException;
import dev.jobengine.ResultIterator;
import dev.jobengine.master.internal.EngineImpl;
import dev.jobengine.test.EngineSettings;
import dev.jobengine.test.JobEngineExtension;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Every Pool and AsyncResult call, against real worker JVMs. */
@ExtendWith(JobEngineExtension.class)
class PoolIT {
  private static final Duration WAIT = Duration.ofSeconds(60);

  private Engine engine;
  private Pool pool;

  @BeforeEach
  void start() {
    pool = engine.pool(2);
  }

  static long pid() {
    return ProcessHandle.current().pid();
  }

  /** What a worker sees of where its classes come from. */
  record Origin(String classPath, String loader, String contextLoader) implements java.io.Serializable {}

  @Test
  void workersBootOnTheEngineAndLoadTheApplicationThroughThePoolsClassLoader() throws Exception {
    Origin origin = pool.apply(() -> new Origin(System.getProperty("java.class.path"),
        Origin.class.getClassLoader().getName(), Thread.currentThread().getContextClassLoader().getName()));
    assertThat(origin.classPath()).as("the worker's own class path")
        .contains("engine-worker").doesNotContain("integration-tests").doesNotContain("junit-jupiter-api");
    assertThat(origin.loader()).as("a test class").startsWith("jobengine-lease");
    assertThat(origin.contextLoader()).startsWith("jobengine-lease");
  }

  @Test
  void whatAWorkerPrintsReachesTheMastersSystemOutAndErr() throws Exception {
    PrintStream originalOut = System.out;
    PrintStream originalErr = System.err;
    java.io.ByteArrayOutputStream seen = new java.io.ByteArrayOutputStream();
    PrintStream tee = new PrintStream(new java.io.OutputStream() {
      @Override
      public void write(int b) {
        synchronized (seen) {
          seen.write(b);
        }
      }
    }, true, java.nio.charset.StandardCharsets.UTF_8);
    System.setOut(tee);
    System.setErr(tee);
    try {
      pool.apply(() -> {
        System.out.println("out of a worker");
        System.err.println("err of a worker");
        return 1;
      });
      long deadline = System.nanoTime() + WAIT.toNanos();
      String text = "";
      while (System.nanoTime() < deadline && !(text.contains("out of a worker") && text.contains("err of a worker"))) {
        synchronized (seen) {
          seen.wait(50); // woken by nothing: polls the copy the output threads make
          text = seen.toString(java.nio.charset.StandardCharsets.UTF_8);
        }
      }
      assertThat(text).contains("out of a worker").contains("err of a worker");
    } finally {
      System.setOut(originalOut);
      System.setErr(originalErr);
    }
  }

  @Test
  void anExplicitChunksizeBelowOneIsRefusedByEveryMapCall() throws Exception {
    List<Integer> items = List.of(1, 2, 3);
    Fn<Integer, Integer> twice = x -> 2 * x;
    for (int bad : new int[] {0, -1}) {
      assertThatThrownBy(() -> pool.map(twice, items, bad))
          .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("chunksize");
      assertThatThrownBy(() -> pool.mapAsync(twice, items, bad))
          .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("chunksize");
      assertThatThrownBy(() -> pool.imap(twice, items, bad))
          .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("chunksize");
      assertThatThrownBy(() -> pool.imapUnordered(twice, items, bad))
          .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("chunksize");
    }
    assertThat(pool.map(twice, items)).containsExactly(2, 4, 6);
    assertThat(pool.mapAsync(twice, items).get(60, TimeUnit.SECONDS)).containsExactly(2, 4, 6);
  }

  @Test
  void applyAsyncRunsInAWorkerAndTheCallbackRunsBeforeTheResultIsReady() throws Exception {
    AtomicBoolean called = new AtomicBoolean();
    List<String> threads = new CopyOnWriteArrayList<>();
    AsyncResult<Long> r = pool.applyAsync(PoolIT::pid, v -> {
      threads.add(Thread.currentThread().getName());
      called.set(true);
    });
    long workerPid = r.get(WAIT.toSeconds(), TimeUnit.SECONDS);
    assertThat(called).isTrue();
    assertThat(r.ready()).isTrue();
    assertThat(r.successful()).isTrue();
    assertThat(workerPid).isNotEqualTo(pid()).isIn(pool.workerPids());
    assertThat(threads).singleElement().asString().contains("callbacks");
  }

  @Test
  void applyAsyncWithoutCallbackAndApply() throws Exception {
    assertThat(pool.applyAsync(() -> 6 * 7).get(WAIT.toSeconds(), TimeUnit.SECONDS)).isEqualTo(42);
    assertThat(pool.apply(PoolIT::pid)).isIn(pool.workerPids());
  }

  @Test
  void aTaskThatThrowsArrivesAsRemoteTaskExceptionWithTheOriginal() throws Exception {
    CompletableFuture<Throwable> viaCallback = new CompletableFuture<>();
    AsyncResult<Object> r = pool.applyAsync(
        () -> { throw new IllegalArgumentException("bad input 7"); },
        v -> viaCallback.complete(null),
        viaCallback::complete);
    assertThat(viaCallback.get(WAIT.toSeconds(), TimeUnit.SECONDS)).isInstanceOf(RemoteTaskException.class);
    assertThatThrownBy(() -> r.get(WAIT.toSeconds(), TimeUnit.SECONDS))
        .isInstanceOf(ExecutionException.class)
        .cause()
        .isInstanceOf(RemoteTaskException.class)
        .hasMessageContaining("IllegalArgumentException: bad input 7")
        .hasCauseInstanceOf(IllegalArgumentException.class);
    RemoteTaskException e = (RemoteTaskException) viaCallback.get();
    assertThat(e.remoteClassName()).isEqualTo(IllegalArgumentException.class.getName());
    assertThat(e.remoteMessage()).isEqualTo("bad input 7");
    assertThat(e.remoteStackTrace()).contains("bad input 7").contains("PoolIT");
    assertThat(r.successful()).isFalse();

    assertThatThrownBy(() -> pool.apply(() -> Integer.parseInt("x")))
        .isInstanceOf(RemoteTaskException.class)
        .hasCauseInstanceOf(NumberFormatException.class);
  }

  @Test
  void callbacksRunOneAtATimeOnThePoolsThreadAndAThrowingCallbackHarmsNothing() throws Exception {
    int n = 300;
    Set<String> threads = java.util.concurrent.ConcurrentHashMap.newKeySet();
    AtomicInteger active = new AtomicInteger();
    AtomicInteger maxActive = new AtomicInteger();
    List<Integer> order = new CopyOnWriteArrayList<>();
    List<AsyncResult<Integer>> results = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      int x = i;
      results.add(pool.applyAsync(() -> x, v -> {
        maxActive.accumulateAndGet(active.incrementAndGet(), Math::max);
        threads.add(Thread.currentThread().getName());
        order.add(v);
        active.decrementAndGet();
        if (v % 10 == 0) {
          throw new IllegalStateException("callback failure " + v + " (expected by the test)");
        }
      }));
    }
    for (AsyncResult<Integer> r : results) {
      assertThat(r.await(WAIT)).isTrue();
      assertThat(r.successful()).isTrue();
    }
    assertThat(order).hasSize(n).containsExactlyInAnyOrderElementsOf(IntStream.range(0, n).boxed().toList());
    assertThat(threads).hasSize(1);
    assertThat(maxActive).hasValue(1);
  }

  @Test
  void mapKeepsItemOrderWithAnyChunksize() {
    List<Integer> items = IntStream.range(0, 1000).boxed().toList();
    List<Integer> doubled = items.stream().map(x -> x * 2).toList();
    Fn<Integer, Integer> twice = x -> x * 2;
    assertThat(pool.map(twice, items)).isEqualTo(doubled);
    assertThat(pool.map(twice, items, 7)).isEqualTo(doubled);
    assertThat(pool.map(twice, items, 5000)).isEqualTo(doubled);
    assertThat(pool.map(twice, List.<Integer>of())).isEmpty();
    assertThat(pool.map((Integer x) -> pid(), items, 10)).hasSize(1000).allMatch(pool.workerPids()::contains);
  }

  @Test
  void mapThrowsTheTasksFailureAndMapAsyncCompletes() throws Exception {
    assertThatThrownBy(() -> pool.map((Integer x) -> 10 / (x - 500), IntStream.range(0, 1000).boxed().toList(), 50))
        .isInstanceOf(RemoteTaskException.class)
        .hasMessageContaining("ArithmeticException");
    AsyncResult<List<String>> r = pool.mapAsync((Integer x) -> "#" + x, List.of(1, 2, 3));
    assertThat(r.get(WAIT.toSeconds(), TimeUnit.SECONDS)).containsExactly("#1", "#2", "#3");
    assertThat(r.toCompletableFuture().get(WAIT.toSeconds(), TimeUnit.SECONDS)).containsExactly("#1", "#2", "#3");
  }

  @Test
  void imapIsInOrderAndLazy() {
    AtomicInteger pulled = new AtomicInteger();
    Iterable<Integer> endless = () -> new Iterator<>() {
      @Override
      public boolean hasNext() {
        return true;
      }

      @Override
      public Integer next() {
        return pulled.getAndIncrement();
      }
    };
    Iterator<Integer> it = pool.imap((Integer x) -> x * x, endless);
    for (int i = 0; i < 200; i++) {
      assertThat(it.next()).isEqualTo(i * i);
    }
    assertThat(pulled.get()).isLessThan(300);
  }

  @Test
  void imapUnorderedYieldsEveryResultOnce() {
    List<Integer> items = IntStream.range(0, 500).boxed().toList();
    List<Integer> out = new ArrayList<>();
    pool.imapUnordered((Integer x) -> x + 1, items, 3).forEachRemaining(out::add);
    assertThat(out).containsExactlyInAnyOrderElementsOf(items.stream().map(x -> x + 1).toList());
  }

  @Test
  void imapNextWithTimeoutAndFailuresInPlace() throws Exception {
    ResultIterator<Integer> slow = pool.imap((Integer x) -> {
      Thread.sleep(30_000); // the workload: a long task
      return x;
    }, List.of(1));
    assertThatThrownBy(() -> slow.next(Duration.ofMillis(100))).isInstanceOf(TimeoutException.class);

    ResultIterator<Integer> it = pool.imap((Integer x) -> 6 / x, List.of(1, 0, 2));
    assertThat(it.next(WAIT)).isEqualTo(6);
    assertThatThrownBy(() -> it.next(WAIT)).isInstanceOf(RemoteTaskException.class);
    assertThat(it.next(WAIT)).isEqualTo(3);
    assertThat(it.hasNext()).isFalse();
  }

  @Test
  void sizeAndWorkerPidsAreTheWorkerProcesses() throws Exception {
    assertThat(pool.size()).isEqualTo(2);
    assertThat(Processes.await(WAIT, () -> pool.workerPids().size() == 2)).as("both connected").isTrue();
    List<Long> pids = pool.workerPids();
    assertThat(pids).hasSize(2).doesNotHaveDuplicates().doesNotContain(pid());
    for (long p : pids) {
      ProcessHandle h = ProcessHandle.of(p).orElseThrow();
      assertThat(h.parent().map(ProcessHandle::pid)).contains(pid());
      assertThat(Files.readString(Path.of("/proc", Long.toString(p), "cmdline"))).contains("dev.jobengine.worker.WorkerMain");
    }
  }

  @Test
  void closeRunsQueuedTasksThenWorkersExitAndAreReaped() throws Exception {
    assertThatThrownBy(() -> pool.join(Duration.ofSeconds(1))).isInstanceOf(IllegalStateException.class);
    assertThat(Processes.await(WAIT, () -> pool.workerPids().size() == 2)).as("both connected").isTrue();
    List<Long> pids = pool.workerPids();
    List<AsyncResult<Integer>> results = new ArrayList<>();
    for (int i = 0; i < 40; i++) {
      int x = i;
      results.add(pool.applyAsync(() -> x));
    }
    pool.close();
    assertThatThrownBy(() -> pool.applyAsync(() -> 1)).isInstanceOf(IllegalStateException.class);
    assertThat(pool.join(WAIT)).isTrue();
    for (int i = 0; i < 40; i++) {
      assertThat(results.get(i).get(0, TimeUnit.SECONDS)).isEqualTo(i);
    }
    for (long p : pids) {
      assertThat(Processes.isGone(p)).as("worker %d exited", p).isTrue();
      assertThat(Processes.isZombie(p)).as("worker %d reaped", p).isFalse();
    }
    pool.join();
  }

  @Test
  void terminateFailsUnfinishedResultsAndStopsWorkers() throws Exception {
    List<AsyncResult<Integer>> results = new ArrayList<>();
    for (int i = 0; i < 6; i++) {
      results.add(pool.applyAsync(() -> {
        Thread.sleep(60_000); // the workload: a task that would run long
        return 1;
      }));
    }
    pool.terminate();
    for (AsyncResult<Integer> r : results) {
      assertThatThrownBy(() -> r.get(WAIT.toSeconds(), TimeUnit.SECONDS))
          .cause()
          .isInstanceOf(PoolTerminatedException.class);
    }
    assertThat(pool.join(WAIT)).isTrue();
    assertThat(pool.workerPids()).isEmpty();
  }

  @Test
  void cancelWithdrawsAQueuedTaskOnly() throws Exception {
    try (Pool one = engine.pool(1)) {
      AsyncResult<Integer> running = one.applyAsync(() -> {
        Thread.sleep(2_000); // keeps the only worker busy
        return 1;
      });
      List<AsyncResult<Integer>> queued = new ArrayList<>();
      for (int i = 0; i < 5; i++) {
        queued.add(one.applyAsync(() -> 2));
      }
      AsyncResult<Integer> last = queued.get(4);
      assertThat(last.cancel(false)).isTrue();
      assertThat(last.isCancelled()).isTrue();
      assertThat(running.get(WAIT.toSeconds(), TimeUnit.SECONDS)).isEqualTo(1);
      assertThat(running.cancel(false)).isFalse();
      for (AsyncResult<Integer> r : queued.subList(0, 4)) {
        assertThat(r.get(WAIT.toSeconds(), TimeUnit.SECONDS)).isEqualTo(2);
      }
    }
  }

  @Test
  void poolsAreIndependentAndWorkersDifferPerPool() throws Exception {
    Set<Long> all = new HashSet<>(pool.workerPids());
    Pool other = engine.pool(1);
    assertThat(other.apply(PoolIT::pid)).isIn(other.workerPids()).isNotIn(all);
    other.close();
    assertThat(other.join(WAIT)).isTrue();
    assertThat(pool.apply(() -> 1)).isEqualTo(1);
  }

  @Test
  void waitingForAResultOnTheCallbackThreadFailsAtOnceInsteadOfHanging() throws Exception {
    java.util.concurrent.CompletableFuture<Throwable> seen = new java.util.concurrent.CompletableFuture<>();
    dev.jobengine.SharedEvent release = engine.event("callback-thread-" + System.nanoTime());
    AsyncResult<Integer> other = pool.applyAsync(() -> { // not done until the test says so
      release.await(java.time.Duration.ofSeconds(60));
      return 2;
    }, v -> { });
    pool.applyAsync(() -> 1, v -> {
      try {
        other.get();
        seen.complete(null);
      } catch (Throwable t) {
        seen.complete(t);
      }
    });
    assertThat(seen.get(WAIT.toSeconds(), TimeUnit.SECONDS))
        .isInstanceOf(IllegalStateException.class).hasMessageContaining("callback thread").hasMessageContaining("thenAccept");
    release.set();
    assertThat(other.get(WAIT.toSeconds(), TimeUnit.SECONDS)).as("the pool goes on").isEqualTo(2);
    java.util.concurrent.CompletableFuture<Integer> ready = new java.util.concurrent.CompletableFuture<>();
    pool.applyAsync(() -> 3, v -> {
      try {
        ready.complete(other.get()); // ready already: no wait, no error
      } catch (Exception e) {
        ready.completeExceptionally(e);
      }
    });
    assertThat(ready.get(WAIT.toSeconds(), TimeUnit.SECONDS)).isEqualTo(2);
  }

  @Test
  void callbacksFollowCompletionOrder() throws Exception {
    try (Pool one = engine.pool(PoolOptions.builder().workers(1).prefetch(1).build())) {
      List<Integer> order = new CopyOnWriteArrayList<>();
      List<AsyncResult<Integer>> results = new ArrayList<>();
      for (int i = 0; i < 100; i++) {
        int x = i;
        results.add(one.applyAsync(() -> x, order::add));
      }
      for (AsyncResult<Integer> r : results) {
        assertThat(r.await(WAIT)).isTrue();
      }
      assertThat(order).as("one worker, one task at a time: completion order is submission order")
          .isEqualTo(IntStream.range(0, 100).boxed().toList());
    }
  }

  @Test
  @EngineSettings(transport = EngineOptions.Transport.TCP)
  void theTcpTransportWorksToo(Engine tcp) throws Exception {
    try (Pool p = tcp.pool(1)) {
      assertThat(((EngineImpl) tcp).hubAddress()).startsWith("tcp:127.0.0.1:");
      assertThat(p.apply(() -> "over tcp")).isEqualTo("over tcp");
      assertThat(p.map((Integer x) -> x * 3, List.of(1, 2, 3))).containsExactly(3, 6, 9);
    }
  }
}
