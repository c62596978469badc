package dev.jobengine.master.internal.pool;

import com.google.protobuf.ByteString;
import dev.jobengine.AsyncResult;
import dev.jobengine.Fn;
import dev.jobengine.JobEngineException;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/**
 * Gathers the chunks of a {@code map} into one list in item order; the first failure fails it. The
 * chunks' results are kept as they arrive and decoded, in one pass, by whoever first asks for the
 * list (the caller of {@code get()}), not by the transport thread that delivered them.
 */
final class MapCollector<R> {
  private final PoolImpl pool;
  private final AsyncResultImpl<List<R>> result;
  private final ByteString[] chunkResults;
  private final List<PendingTask> tasks = new ArrayList<>();
  private int chunksLeft; // guarded by this

  private MapCollector(PoolImpl pool, int chunks) {
    this.pool = pool;
    this.result = new AsyncResultImpl<>(pool.callbacks());
    this.chunkResults = new ByteString[chunks];
    this.chunksLeft = chunks;
  }

  static <R> AsyncResult<List<R>> submit(PoolImpl pool, Fn<?, ?> fn, List<Object> items, int chunksize) {
    int chunks = (items.size() + chunksize - 1) / chunksize;
    MapCollector<R> collector = new MapCollector<>(pool, chunks);
    if (chunks == 0) {
      pool.submit(List.of()); // still refuses a closed pool
      collector.result.complete(new ArrayList<>());
      return collector.result;
    }
    for (int offset = 0, index = 0; offset < items.size(); offset += chunksize, index++) {
      List<Object> chunk = items.subList(offset, Math.min(items.size(), offset + chunksize));
      collector.tasks.add(pool.chunk(fn, chunk, collector.new Chunk(index)));
    }
    collector.result.onCancel(collector::cancelQueued);
    pool.submit(collector.tasks);
    return collector.result;
  }

  private boolean cancelQueued() {
    boolean any = false;
    for (PendingTask t : tasks) {
      any |= pool.cancel(t);
    }
    return any;
  }

  /** Decodes every chunk's results into one list, in item order. */
  @SuppressWarnings("unchecked")
  private List<R> decodeAll() {
    List<R> all = new ArrayList<>();
    for (ByteString bytes : chunkResults) {
      all.addAll((List<R>) pool.payloads().decode(bytes, "map results"));
    }
    return all;
  }

  private final class Chunk implements PendingTask.Outcome {
    private final int index;

    Chunk(int index) {
      this.index = index;
    }

    @Override
    public void succeeded(ByteString value) {
      boolean done;
      synchronized (MapCollector.this) {
        chunkResults[index] = value;
        done = --chunksLeft == 0;
      }
      if (done) {
        result.completeLazily(MapCollector.this::decodeAll);
      }
    }

    @Override
    public void failed(Supplier<? extends JobEngineException> failure) {
      if (result.failLazily(failure)) {
        cancelQueued();
      }
    }
  }
}
