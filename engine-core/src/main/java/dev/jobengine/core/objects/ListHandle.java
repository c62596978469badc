package dev.jobengine.core.objects;

import dev.jobengine.SharedList;
import dev.jobengine.proto.Invocation.Op;
import dev.jobengine.proto.Reply;
import java.io.Serializable;
import java.util.AbstractList;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import java.util.RandomAccess;

/**
 * A list on the master (Python's {@code Manager().list()}). Every call is one atomic step on the
 * master; {@link #iterator()} walks a snapshot taken in one step.
 */
public final class ListHandle<E> extends AbstractList<E> implements SharedList<E>, RandomAccess, Serializable {
  private static final long serialVersionUID = 1L;

  private final HandleCore core;

  ListHandle(HandleCore core) {
    this.core = core;
  }

  @Override
  public E get(int index) {
    return core.decode(core.callNow(Op.GET, index).getValues(0));
  }

  @Override
  public E set(int index, E element) {
    return core.decode(core.callNow(Op.SET, index, core.encode(element)).getValues(0));
  }

  @Override
  public boolean add(E element) {
    core.callNow(Op.ADD, -1, core.encode(element));
    return true;
  }

  @Override
  public void add(int index, E element) {
    core.callNow(Op.ADD, index, core.encode(element));
  }

  @Override
  public E remove(int index) {
    return core.decode(core.callNow(Op.REMOVE_AT, index).getValues(0));
  }

  @Override
  public int size() {
    return (int) core.callNow(Op.SIZE, 0).getNumber();
  }

  @Override
  public void clear() {
    core.callNow(Op.CLEAR, 0);
  }

  @Override
  public int indexOf(Object o) {
    return (int) core.callNow(Op.INDEX_OF, 0, core.encode(o)).getNumber();
  }

  @Override
  public boolean contains(Object o) {
    return indexOf(o) >= 0;
  }

  /** All elements, read in one step. */
  public List<E> snapshot() {
    Reply r = core.callNow(Op.SNAPSHOT, 0);
    return core.decodeAll(r.getValuesList());
  }

  @Override
  public Iterator<E> iterator() {
    return Collections.unmodifiableList(snapshot()).iterator();
  }

  @Override
  public Object[] toArray() {
    return snapshot().toArray();
  }

  @Override
  public <T> T[] toArray(T[] a) {
    return snapshot().toArray(a);
  }

  @Override
  public String toString() {
    return core + " " + snapshot();
  }
}
