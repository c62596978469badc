package dev.jobengine.master.internal.pool;

import com.google.protobuf.ByteString;
import dev.jobengine.AsyncResult;
import dev.jobengine.Fn;
import dev.jobengine.JobEngineException;
import dev.jobengine.Progress;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

/**
 * Gathers the chunks of a {@code map} into one list in item order; the first failure fails it.
 * Each chunk's results are decoded as they arrive, on the pool's callback thread, never on the
 * transport thread that delivered them. (Decoding them all at the end, in the caller of {@code
 * get()}, measured 30% slower for 20,000 one-item chunks: the decoding no longer overlapped with
 * the workers' running.)
 */
final class MapCollector<R> {
  private final PoolImpl pool;
  private final AsyncResultImpl<List<R>> result;
  private final Object[] values;
  private final List<PendingTask> tasks = new ArrayList<>();
  /** Items of the chunks whose outcome arrived; bumped on the transport thread, once per chunk. */
  private final AtomicLong completedItems = new AtomicLong();
  private int chunksLeft; // guarded by this

  private MapCollector(PoolImpl pool, int items, int chunks) {
    this.pool = pool;
    this.result = new AsyncResultImpl<>(pool.callbacks());
    this.values = new Object[items];
    this.chunksLeft = chunks;
  }

  static <R> AsyncResult<List<R>> submit(PoolImpl pool, Fn<?, ?> fn, List<Object> items, int chunksize) {
    int chunks = (items.size() + chunksize - 1) / chunksize;
    MapCollector<R> collector = new MapCollector<>(pool, items.size(), chunks);
    if (chunks == 0) {
      pool.submit(List.of()); // still refuses a closed pool
      collector.result.complete(new ArrayList<>());
      return collector.result;
    }
    for (int offset = 0; offset < items.size(); offset += chunksize) {
      List<Object> chunk = items.subList(offset, Math.min(items.size(), offset + chunksize));
      collector.tasks.add(pool.chunk(fn, chunk, collector.new Chunk(offset, chunk.size())));
    }
    collector.result.onProgressQuery(collector::progress);
    collector.result.onCancel(mayInterrupt -> collector.cancelQueued());
    pool.submit(collector.tasks);
    return collector.result;
  }

  private Progress progress() {
    return new Progress(completedItems.get(), values.length, values.length);
  }

  private boolean cancelQueued() {
    boolean any = false;
    for (PendingTask t : tasks) {
      any |= pool.cancel(t);
    }
    return any;
  }

  private final class Chunk implements PendingTask.Outcome {
    private final int offset;
    private final int items;

    Chunk(int offset, int items) {
      this.offset = offset;
      this.items = items;
    }

    @Override
    public void succeeded(ByteString value) {
      completedItems.addAndGet(items);
      pool.callbacks().execute(() -> decode(value));
    }

    /** On the callback thread. */
    @SuppressWarnings("unchecked")
    private void decode(ByteString value) {
      if (result.isDone()) {
        return; // failed already
      }
      List<Object> chunk;
      try {
        chunk = (List<Object>) pool.payloads().decode(value, "map results");
      } catch (JobEngineException e) {
        failed(() -> e);
        return;
      }
      boolean done;
      synchronized (MapCollector.this) {
        for (int i = 0; i < chunk.size(); i++) {
          values[offset + i] = chunk.get(i);
        }
        done = --chunksLeft == 0;
      }
      if (done) {
        result.complete((List<R>) new ArrayList<>(Arrays.asList(values)));
      }
    }

    @Override
    public void failed(Supplier<? extends JobEngineException> failure) {
      completedItems.addAndGet(items);
      if (result.failLazily(failure)) {
        cancelQueued();
      }
    }
  }
}
