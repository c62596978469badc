package dev.jobengine.internal.objects;

import com.google.protobuf.ByteString;
import dev.jobengine.JobEngineException;
import dev.jobengine.proto.Invocation;
import dev.jobengine.proto.ObjectError;
import dev.jobengine.proto.ObjectRef;
import dev.jobengine.proto.Reply;
import java.io.ObjectStreamException;
import java.io.Serializable;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.concurrent.BrokenBarrierException;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * What every handle holds: the object's kind, name and size, and the engine it belongs to. It
 * serializes as just that, and binds on arrival to the access of the engine it belongs to.
 */
final class HandleCore implements Serializable {
  private static final long serialVersionUID = 1L;
  static final long FOREVER = -1;

  private final String engineKey;
  private final ObjectKind kind;
  private final String name;
  private final int size;
  private transient ObjectAccess access;

  HandleCore(String engineKey, ObjectKind kind, String name, int size, ObjectAccess access) {
    this.engineKey = engineKey;
    this.kind = kind;
    this.name = name;
    this.size = size;
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

  ObjectKind kind() {
    return kind;
  }

  static long nanos(Duration timeout) {
    return Math.max(0, timeout.toNanos());
  }

  ByteString encode(Object value) {
    if (value == null) {
      throw new NullPointerException(kind.wireName() + " " + name + " does not take null values");
    }
    return access.payloads().encode(value, "a value for " + kind.wireName() + " " + name);
  }

  @SuppressWarnings("unchecked")
  <T> T decode(ByteString bytes) {
    return (T) access.payloads().decode(bytes, "a value of " + kind.wireName() + " " + name);
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

  int size() {
    return size;
  }

  private Invocation invocation(String op, long timeoutNanos, long number, ByteString... values) {
    Invocation.Builder inv =
        Invocation.newBuilder()
            .setRef(ObjectRef.newBuilder().setKind(kind.wireName()).setName(name).setSize(size))
            .setOp(op)
            .setNumber(number)
            .setTimeoutNanos(timeoutNanos);
    for (ByteString v : values) {
      inv.addValues(v);
    }
    return inv.build();
  }

  /** One invocation that may block; errors come back as the matching exception. */
  Reply call(String op, long timeoutNanos, long number, ByteString... values) throws InterruptedException {
    Reply reply = access.invoke(invocation(op, timeoutNanos, number, values));
    if (reply.hasError()) {
      throw toException(reply.getError());
    }
    return reply;
  }

  /** One invocation that does not block: an interrupt is kept as the thread's flag. */
  Reply callNow(String op, long number, ByteString... values) {
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
  void sendNow(String op, long number, ByteString... values) {
    try {
      send(op, number, values);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new JobEngineException("interrupted during " + op + " on " + this, e);
    }
  }

  /** {@link #sendNow}, throwing InterruptedException if interrupted while it waits. */
  void send(String op, long number, ByteString... values) throws InterruptedException {
    access.send(invocation(op, 0, number, values));
  }

  /** BrokenBarrierException travels as a RuntimeException wrapper; see {@link #toException}. */
  static final class Broken extends RuntimeException {
    private static final long serialVersionUID = 1L;

    Broken(String message) {
      super(message);
    }

    BrokenBarrierException unwrap() {
      return new BrokenBarrierException(getMessage());
    }
  }

  static RuntimeException toException(ObjectError e) {
    String m = e.getMessage();
    return switch (e.getType()) {
      case "IllegalStateException" -> new IllegalStateException(m);
      case "IllegalMonitorStateException" -> new IllegalMonitorStateException(m);
      case "IllegalArgumentException" -> new IllegalArgumentException(m);
      case "NoSuchElementException" -> new NoSuchElementException(m);
      case "IndexOutOfBoundsException" -> new IndexOutOfBoundsException(m);
      case "NullPointerException" -> new NullPointerException(m);
      case "BrokenBarrierException" -> new Broken(m);
      case "TaskSerializationException" -> new dev.jobengine.TaskSerializationException(m);
      default -> new JobEngineException(e.getType() + ": " + m);
    };
  }

  @Override
  public String toString() {
    return kind.wireName() + " '" + name + "'";
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof HandleCore h
        && h.engineKey.equals(engineKey) && h.kind == kind && h.name.equals(name);
  }

  @Override
  public int hashCode() {
    return engineKey.hashCode() * 31 + name.hashCode();
  }
}
