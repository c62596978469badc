package dev.jobengine.core.tasks;

import dev.jobengine.Fn;
import dev.jobengine.Task;
import dev.jobengine.spi.CompactExternalizable;
import java.io.IOException;
import java.io.ObjectInput;
import java.io.ObjectOutput;
import java.util.AbstractList;
import java.util.ArrayList;
import java.util.List;

/**
 * A chunk of a map: applies {@code fn} to each item in the worker and returns the results in
 * order. Items and results that are all Integers, Longs or Strings travel as plain values, and the
 * chunk itself in the codec's short form (see {@link CompactExternalizable}).
 */
public final class ChunkTask implements Task<List<Object>>, CompactExternalizable {
  private static final long serialVersionUID = 1L;

  private Fn<Object, Object> fn;
  private List<Object> items;

  /** For deserialization. */
  public ChunkTask() {}

  @SuppressWarnings("unchecked")
  public ChunkTask(Fn<?, ?> fn, List<?> items) {
    this.fn = (Fn<Object, Object>) fn;
    this.items = new ArrayList<>(items);
  }

  @Override
  public void writeExternal(ObjectOutput out) throws IOException {
    out.writeObject(fn);
    Values.write(out, items);
  }

  @Override
  @SuppressWarnings("unchecked")
  public void readExternal(ObjectInput in) throws IOException, ClassNotFoundException {
    fn = (Fn<Object, Object>) in.readObject();
    items = Values.read(in);
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
    return new Results(out);
  }

  /** A chunk's results: a list that travels like the items. */
  public static final class Results extends AbstractList<Object> implements CompactExternalizable {
    private static final long serialVersionUID = 1L;

    private List<Object> values;

    /** For deserialization. */
    public Results() {}

    Results(List<Object> values) {
      this.values = values;
    }

    @Override
    public Object get(int index) {
      return values.get(index);
    }

    @Override
    public int size() {
      return values.size();
    }

    @Override
    public void writeExternal(ObjectOutput out) throws IOException {
      Values.write(out, values);
    }

    @Override
    public void readExternal(ObjectInput in) throws IOException, ClassNotFoundException {
      values = Values.read(in);
    }
  }
}
