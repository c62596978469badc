package dev.jobengine.master.internal.pool;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.jobengine.AsyncResult;
import dev.jobengine.Fn;
import dev.jobengine.JavaSerializationCodec;
import dev.jobengine.PoolOptions;
import dev.jobengine.Progress;
import dev.jobengine.ResultIterator;
import dev.jobengine.WorkerLostException;
import dev.jobengine.core.wire.Payloads;
import dev.jobengine.master.internal.metrics.PoolCounters;
import dev.jobengine.proto.Failure;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** A pool over a backend the test settles by hand: its task counts, latency and map progress. */
class PoolCountsAndProgressTest {
  private final Payloads payloads = new Payloads(new JavaSerializationCodec(), 1 << 20);
  private final CallbackExecutor callbacks = new CallbackExecutor("test-callbacks");
  private final Backend backend = new Backend();
  private final PoolCounters counters = new PoolCounters("p");
  private final List<Long> latencies = new CopyOnWriteArrayList<>();
  private final PoolImpl pool;

  PoolCountsAndProgressTest() {
    counters.measureLatency(latencies::add);
    pool = new PoolImpl(PoolOptions.builder().workers(2).build(), "p", payloads, callbacks, backend, counters);
  }

  @AfterEach
  void stop() throws InterruptedException {
    callbacks.shutdown();
    assertThat(callbacks.awaitTermination(Duration.ofSeconds(10))).isTrue();
  }

  /** Holds what the pool submits; the test settles it. */
  private static final class Backend implements PoolBackend {
    final List<PendingTask> tasks = new CopyOnWriteArrayList<>();
    volatile State state = State.RUNNING;

    @Override
    public void submit(List<PendingTask> submitted) {
      if (state != State.RUNNING) {
        throw new IllegalStateException("closed");
      }
      tasks.addAll(submitted);
    }

    @Override
    public boolean cancel(PendingTask task, boolean mayInterrupt) {
      return task.withdraw();
    }

    @Override
    public OptionalLong runningOn(PendingTask task) {
      return OptionalLong.empty();
    }

    @Override
    public long retried() {
      return 0;
    }

    @Override
    public void close() {
      state = State.CLOSED;
    }

    @Override
    public void terminate() {
      state = State.TERMINATED;
    }

    @Override
    public CompletableFuture<Void> allExited() {
      return CompletableFuture.completedFuture(null);
    }

    @Override
    public State state() {
      return state;
    }

    @Override
    public List<Long> pids() {
      return List.of();
    }
  }

  /** Runs a map chunk here, as a worker would, and delivers its results. */
  @SuppressWarnings("unchecked")
  private void runChunk(PendingTask task) throws Exception {
    dev.jobengine.core.tasks.ChunkTask chunk = (dev.jobengine.core.tasks.ChunkTask) payloads.decode(task.payload(), "t");
    task.succeed(payloads.encode(chunk.call(), "r"));
  }

  @Test
  void tasksAreCountedAsTheySettleAndTheirLatencyIsRecorded() throws Exception {
    AsyncResult<Integer> ok = pool.applyAsync(() -> 1);
    AsyncResult<Integer> threw = pool.applyAsync(() -> 2);
    AsyncResult<Integer> lost = pool.applyAsync(() -> 3);
    AsyncResult<Integer> cancelled = pool.applyAsync(() -> 4);
    assertThat(counters.submitted()).isEqualTo(4);
    assertThat(ok.progress()).isEqualTo(new Progress(0, 1, 1));

    backend.tasks.get(0).succeed(payloads.encode(1, "r"));
    backend.tasks.get(1).failRemotely(Failure.newBuilder().setClassName("x.Boom").setMessage("boom").build(), payloads);
    backend.tasks.get(2).lose(() -> new WorkerLostException("gone"));
    assertThat(cancelled.cancel(false)).isTrue();

    assertThat(ok.get(10, TimeUnit.SECONDS)).isEqualTo(1);
    assertThat(ok.progress()).isEqualTo(new Progress(1, 1, 1));
    assertThatThrownBy(() -> threw.get(10, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class);
    assertThatThrownBy(() -> lost.get(10, TimeUnit.SECONDS)).cause().isInstanceOf(WorkerLostException.class);
    assertThat(cancelled.progress().completedItems()).isZero();
    assertThat(List.of(counters.completed(), counters.failed(), counters.lost(), counters.cancelled()))
        .containsExactly(1L, 1L, 1L, 1L);
    assertThat(latencies).hasSize(3).allSatisfy(nanos -> assertThat(nanos).isNotNegative());

    backend.tasks.get(0).lose(() -> new WorkerLostException("again")); // settled already: not counted twice
    assertThat(counters.lost()).isEqualTo(1);
  }

  @Test
  void aSubmissionTheBackendRefusesIsNotCounted() {
    backend.close();
    assertThatThrownBy(() -> pool.applyAsync(() -> 1)).isInstanceOf(IllegalStateException.class);
    assertThat(counters.submitted()).isZero();
  }

  @Test
  void aMapsProgressCountsItemsOfTheChunksThatArrived() throws Exception {
    List<Integer> items = IntStream.range(0, 10).boxed().toList();
    AsyncResult<List<Integer>> result = pool.mapAsync((Integer x) -> x * 2, items, 3); // chunks of 3, 3, 3, 1
    assertThat(backend.tasks).hasSize(4);
    assertThat(counters.submitted()).isEqualTo(4);
    assertThat(result.progress()).isEqualTo(new Progress(0, 10, 10));
    assertThat(result.progress().fraction()).hasValue(0.0);

    runChunk(backend.tasks.get(1));
    runChunk(backend.tasks.get(3));
    assertThat(result.progress()).isEqualTo(new Progress(4, 10, 10));
    runChunk(backend.tasks.get(0));
    runChunk(backend.tasks.get(2));
    assertThat(result.get(10, TimeUnit.SECONDS)).isEqualTo(items.stream().map(x -> x * 2).toList());
    assertThat(result.progress().done()).isTrue();
    assertThat(result.progress().fraction()).hasValue(1.0);
  }

  @Test
  void anImapsTotalIsTheCollectionsSizeOrUnknownUntilTheSourceEnds() throws Exception {
    Fn<Integer, Integer> inc = x -> x + 1;
    ResultIterator<Integer> known = pool.imap(inc, List.of(1, 2, 3), 2);
    assertThat(known.progress()).isEqualTo(new Progress(0, 3, 3));

    Iterable<Integer> lazy = () -> IntStream.range(0, 100).iterator();
    int before = backend.tasks.size();
    ResultIterator<Integer> unknown = pool.imap(inc, lazy, 1);
    List<PendingTask> window = new ArrayList<>(backend.tasks.subList(before, backend.tasks.size()));
    assertThat(window).hasSizeLessThan(100);
    assertThat(unknown.progress().totalItems()).isEqualTo(Progress.UNKNOWN);
    assertThat(unknown.progress().submittedItems()).isEqualTo(window.size());
    assertThat(unknown.progress().fraction()).isEmpty();

    runChunk(window.get(0));
    assertThat(unknown.progress().completedItems()).isEqualTo(1);
    int consumed = 0;
    Iterator<Integer> it = unknown;
    while (it.hasNext()) {
      for (PendingTask t : backend.tasks) {
        if (!t.abandoned()) {
          runChunk(t);
        }
      }
      assertThat(it.next()).isEqualTo(++consumed);
    }
    assertThat(consumed).isEqualTo(100);
    assertThat(unknown.progress()).isEqualTo(new Progress(100, 100, 100));
  }
}
