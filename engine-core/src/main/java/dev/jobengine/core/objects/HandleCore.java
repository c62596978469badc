package dev.jobengine.core.objects;

import com.google.protobuf.ByteString;
import dev.jobengine.JobEngineException;
import dev.jobengine.core.wire.ObjectErrors;
import dev.jobengine.proto.Invocation;
import dev.jobengine.proto.Invocation.Op;
import dev.jobengine.proto.ObjectRef.Kind;
import dev.jobengine.proto.Reply;
import java.io.ObjectStreamException;
import java.io.Serializable;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * What every handle holds: the object's kind, name, size and id, and the engine it belongs to. It
 * serializes as just that, and binds on arrival to the access of the engine it belongs to. Calls
 * name the object by its id, which the master gave when the object was declared.
 */
final class HandleCore implements Serializable {
  private static final long serialVersionUID = 2L;
  static final long FOREVER = -1;

  private final String engineKey;
  private final Kind kind;
  private final String name;
  private final int size;
  private final int id;
  private transient ObjectAccess access;
  /** What its values are called in errors, made on first use: not rebuilt for every item. */
  private transient String valueFor;
  private transient String valueOf;

  HandleCore(String engineKey, Kind kind, String name, int size, int id, ObjectAccess access) {
    this.engineKey = engineKey;
    this.kind = kind;
    this.name = name;
    this.size = size;
    this.id = id;
    this.access = access;
  }

  /** After deserialization: bind to this JVM's engine. */
  protected Object readResolve() throws ObjectStreamException {
    access = Handles.access(engineKey);
    return this;
  }

  String name() {
    return name;
  }

  Kind kind() {
    return kind;
  }

  int id() {
    return id;
  }

  int size() {
    return size;
  }

  static long nanos(Duration timeout) {
    return Math.max(0, timeout.toNanos());
  }

  ByteString encode(Object value) {
    if (value == null) {
      throw new NullPointerException(this + " does not take null values");
    }
    String what = valueFor;
    if (what == null) {
      valueFor = what = "a value for " + this;
    }
    return access.payloads().encode(value, what);
  }

  @SuppressWarnings("unchecked")
  <T> T decode(ByteString bytes) {
    String what = valueOf;
    if (what == null) {
      valueOf = what = "a value of " + this;
    }
    return (T) access.payloads().decode(bytes, what);
  }

  <T> List<T> decodeAll(List<ByteString> values) {
    List<T> out = new ArrayList<>(values.size());
    for (ByteString v : values) {
      out.add(decode(v));
    }
    return out;
  }

  /** This process's read-ahead on this queue, or null (in the master, or when disabled). */
  ReadAhead readAhead() {
    return access.readAhead(this);
  }

  /** See {@link ObjectAccess#lockHolds}. */
  AtomicInteger lockHolds() {
    return access.lockHolds(this);
  }

  /** See {@link ObjectAccess#pipeEnd}. */
  AtomicInteger pipeEnd(int end) {
    return access.pipeEnd(this, end);
  }

  private Invocation invocation(Op op, long timeoutNanos, long number, ByteString... values) {
    Invocation.Builder inv =
        Invocation.newBuilder().setOp(op).setObject(id).setNumber(number).setTimeoutNanos(timeoutNanos);
    for (ByteString v : values) {
      inv.addValues(v);
    }
    return inv.build();
  }

  /** One invocation that may block; errors come back as the matching exception. */
  Reply call(Op op, long timeoutNanos, long number, ByteString... values) throws InterruptedException {
    Reply reply = access.invoke(invocation(op, timeoutNanos, number, values), this);
    if (reply.hasError()) {
      throw ObjectErrors.toException(reply.getError());
    }
    return reply;
  }

  /** One invocation that does not block: an interrupt is kept as the thread's flag. */
  Reply callNow(Op op, long number, ByteString... values) {
    try {
      return call(op, 0, number, values);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new JobEngineException("interrupted during " + op + " on " + this, e);
    }
  }

  /**
   * An invocation that cannot block and whose answer is not needed: it may return before the
   * master has performed it (see {@link ObjectAccess#send}). Waits only while too much is
   * outstanding; an interrupt then is kept as the thread's flag.
   */
  void sendNow(Op op, long number, ByteString... values) {
    try {
      send(op, number, values);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new JobEngineException("interrupted during " + op + " on " + this, e);
    }
  }

  /** An unbounded queue's put (see {@link ObjectAccess#putUnbounded}). */
  void putUnbounded(ByteString item) throws InterruptedException {
    access.putUnbounded(this, item);
  }

  /** {@link #putUnbounded}, keeping an interrupt as the thread's flag, as {@link #sendNow} does. */
  void putUnboundedNow(ByteString item) {
    try {
      putUnbounded(item);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new JobEngineException("interrupted during PUT on " + this, e);
    }
  }

  /** {@link #sendNow}, throwing InterruptedException if interrupted while it waits. */
  void send(Op op, long number, ByteString... values) throws InterruptedException {
    access.send(invocation(op, 0, number, values), this);
  }

  @Override
  public String toString() {
    return SharedObjects.describe(kind) + " '" + name + "'";
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof HandleCore h && h.engineKey.equals(engineKey) && h.id == id;
  }

  @Override
  public int hashCode() {
    return engineKey.hashCode() * 31 + id;
  }
}
