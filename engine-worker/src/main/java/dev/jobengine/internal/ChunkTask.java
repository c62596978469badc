package dev.jobengine.internal;

import dev.jobengine.Fn;
import dev.jobengine.Task;
import java.util.ArrayList;
import java.util.List;

/** A chunk of a map: applies {@code fn} to each item in the worker and returns the results in order. */
public final class ChunkTask implements Task<List<Object>> {
  private static final long serialVersionUID = 1L;

  private final Fn<Object, Object> fn;
  private final List<Object> items;

  @SuppressWarnings("unchecked")
  public ChunkTask(Fn<?, ?> fn, List<?> items) {
    this.fn = (Fn<Object, Object>) fn;
    this.items = new ArrayList<>(items);
  }

  public int size() {
    return items.size();
  }

  @Override
  public List<Object> call() throws Exception {
    List<Object> out = new ArrayList<>(items.size());
    for (Object item : items) {
      out.add(fn.apply(item));
    }
    return out;
  }
}
