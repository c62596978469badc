package dev.jobengine.master.internal.pool;

import com.google.protobuf.ByteString;
import dev.jobengine.Fn;
import dev.jobengine.JobEngineException;
import dev.jobengine.Progress;
import dev.jobengine.ResultIterator;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

/**
 * {@code imap} and {@code imapUnordered}: reads items lazily and keeps a bounded window of chunks
 * submitted ahead of the consumer. Chunks' results are decoded on the consumer's thread as it
 * reaches them. Used by one consuming thread; {@link #progress()} by any.
 */
final class ImapIterator<R> implements ResultIterator<R> {
  private static final long FOREVER_NANOS = Long.MAX_VALUE / 4;

  /** What became of one chunk: its encoded results, or how to make its failure. */
  private record ChunkOutcome(ByteString results, Supplier<? extends JobEngineException> failure) {}

  private final PoolImpl pool;
  private final Fn<?, ?> fn;
  private final Iterator<?> source;
  private final int chunksize;
  private final boolean ordered;
  private final int window;
  private final ArrayDeque<CompletableFuture<ChunkOutcome>> inOrder = new ArrayDeque<>();
  private final LinkedBlockingQueue<CompletableFuture<ChunkOutcome>> completed = new LinkedBlockingQueue<>();
  private int outstanding;
  /** Items of the chunks whose outcome arrived; bumped on the transport thread, once per chunk. */
  private final AtomicLong completedItems = new AtomicLong();
  private volatile long submittedItems; // written by the consumer only
  private volatile long totalItems; // Progress.UNKNOWN until known
  private Iterator<Object> current = List.of().iterator();

  /** {@code totalItems}: how many items {@code source} gives, or {@link Progress#UNKNOWN}. */
  ImapIterator(PoolImpl pool, Fn<?, ?> fn, Iterator<?> source, long totalItems, int chunksize, boolean ordered) {
    this.totalItems = totalItems;
    this.pool = pool;
    this.fn = fn;
    this.source = source;
    this.chunksize = chunksize;
    this.ordered = ordered;
    this.window = Math.max(4, pool.size() * 4);
    refill();
  }

  private void refill() {
    while (outstanding < window && source.hasNext()) {
      List<Object> items = new ArrayList<>(chunksize);
      while (items.size() < chunksize && source.hasNext()) {
        items.add(source.next());
      }
      CompletableFuture<ChunkOutcome> f = new CompletableFuture<>();
      PendingTask task = pool.chunk(fn, items, new Outcome(f, items.size(), completedItems));
      if (!ordered) {
        f.whenComplete((v, e) -> completed.add(f));
      }
      pool.submit(List.of(task));
      inOrder.addLast(f);
      outstanding++;
      submittedItems += items.size();
    }
    if (totalItems == Progress.UNKNOWN && !source.hasNext()) {
      totalItems = submittedItems;
    }
  }

  @Override
  public Progress progress() {
    long total = totalItems;
    long submitted = submittedItems;
    return new Progress(Math.min(completedItems.get(), submitted), submitted, total);
  }

  @Override
  public boolean hasNext() {
    return current.hasNext() || outstanding > 0 || source.hasNext();
  }

  @Override
  public R next() {
    try {
      return next(FOREVER_NANOS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new JobEngineException("interrupted while waiting for the next result", e);
    } catch (TimeoutException e) {
      throw new IllegalStateException(e);
    }
  }

  @Override
  public R next(Duration timeout) throws InterruptedException, TimeoutException {
    return next(timeout.toNanos());
  }

  @SuppressWarnings("unchecked")
  private R next(long timeoutNanos) throws InterruptedException, TimeoutException {
    if (current.hasNext()) {
      return (R) current.next();
    }
    refill();
    if (outstanding == 0) {
      throw new NoSuchElementException();
    }
    CompletableFuture<ChunkOutcome> f;
    if (ordered) {
      f = inOrder.peekFirst();
      try {
        f.get(timeoutNanos, TimeUnit.NANOSECONDS);
      } catch (ExecutionException ignored) {
        // never: outcomes complete normally
      }
      inOrder.removeFirst();
    } else {
      f = completed.poll(timeoutNanos, TimeUnit.NANOSECONDS);
      if (f == null) {
        throw new TimeoutException("no result within " + Duration.ofNanos(timeoutNanos));
      }
      inOrder.remove(f);
    }
    outstanding--;
    refill();
    ChunkOutcome outcome = f.join();
    if (outcome.failure() != null) {
      throw outcome.failure().get();
    }
    current = ((List<Object>) pool.payloads().decode(outcome.results(), "map results")).iterator();
    return (R) current.next();
  }

  /** A chunk's outcome, kept as it came: {@link #next} decodes it on the consumer's thread. */
  private static final class Outcome implements PendingTask.Outcome {
    private final CompletableFuture<ChunkOutcome> future;
    private final int items;
    private final AtomicLong completedItems;

    Outcome(CompletableFuture<ChunkOutcome> future, int items, AtomicLong completedItems) {
      this.future = future;
      this.items = items;
      this.completedItems = completedItems;
    }

    @Override
    public void succeeded(ByteString value) {
      completedItems.addAndGet(items);
      future.complete(new ChunkOutcome(value, null));
    }

    @Override
    public void failed(Supplier<? extends JobEngineException> failure) {
      completedItems.addAndGet(items);
      future.complete(new ChunkOutcome(null, failure));
    }
  }
}
