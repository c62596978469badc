package dev.jobengine.master.internal.objects;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import dev.jobengine.JavaSerializationCodec;
import dev.jobengine.core.wire.Payloads;
import dev.jobengine.proto.Invocation;
import dev.jobengine.proto.Invocation.Op;
import dev.jobengine.proto.ObjectError.Code;
import dev.jobengine.proto.ObjectRef;
import dev.jobengine.proto.ObjectRef.Kind;
import dev.jobengine.proto.Reply;
import java.io.Serializable;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The dispatcher's declarations, timeouts, errors, and what it gives back when a caller goes away. No network. */
class ObjectDispatcherTest {
  private final Payloads payloads = new Payloads(new JavaSerializationCodec(), 1 << 20);
  private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor();
  private final ObjectDispatcher dispatcher = new ObjectDispatcher(new ObjectRegistry(), payloads, timer);

  @AfterEach
  void stopTimer() {
    timer.shutdownNow();
  }

  private int declare(Kind kind, String name) throws Exception {
    Reply r = now(0, Invocation.newBuilder()
        .setOp(Op.DECLARE)
        .setRef(ObjectRef.newBuilder().setKind(kind).setName(name)));
    assertThat(r.hasError()).as("declared %s %s: %s", kind, name, r.getError()).isFalse();
    return (int) r.getNumber();
  }

  private static Invocation.Builder inv(int object, Op op, long timeoutNanos) {
    return Invocation.newBuilder().setObject(object).setOp(op).setTimeoutNanos(timeoutNanos);
  }

  private Reply now(long session, Invocation.Builder b) throws Exception {
    return dispatcher.invoke(session, b.build()).reply().get(5, TimeUnit.SECONDS);
  }

  private ByteString enc(Object o) {
    return payloads.encode(o, "test value");
  }

  private int size(int queue) throws Exception {
    return (int) now(0, inv(queue, Op.SIZE, 0)).getNumber();
  }

  @Test
  void theSameNameGivesTheSameIdAndAnotherKindIsRefused() throws Exception {
    int q = declare(Kind.QUEUE, "q");
    assertThat(declare(Kind.QUEUE, "q")).isEqualTo(q);
    assertThat(declare(Kind.LOCK, "l")).isNotEqualTo(q);
    Reply clash = now(0, Invocation.newBuilder().setOp(Op.DECLARE)
        .setRef(ObjectRef.newBuilder().setKind(Kind.LOCK).setName("q")));
    assertThat(clash.getError().getCode()).isEqualTo(Code.ILLEGAL_STATE);
    assertThat(clash.getError().getMessage()).contains("'q' is already a queue");
    assertThat(now(0, inv(9_999, Op.SIZE, 0)).getError().getCode()).isEqualTo(Code.ILLEGAL_ARGUMENT);
  }

  @Test
  void aBlockingCallTimesOutAndLeavesNoWaiter() throws Exception {
    int q = declare(Kind.QUEUE, "q");
    Reply r = now(1, inv(q, Op.TAKE, TimeUnit.MILLISECONDS.toNanos(20)));
    assertThat(r.getTimedOut()).isTrue();
    now(0, inv(q, Op.PUT, -1).addValues(enc(7)));
    assertThat(size(q)).as("the item was not handed to the expired waiter").isEqualTo(1);
  }

  @Test
  void anAbandonedWaitLosesNothingThatArrivesLater() throws Exception {
    int q = declare(Kind.QUEUE, "q");
    ObjectCall take = dispatcher.invoke(1, inv(q, Op.TAKE, -1).build());
    assertThat(take.reply()).isNotDone();
    take.abandon(ObjectDispatcher.TIMED_OUT);
    now(0, inv(q, Op.PUT, -1).addValues(enc(7)));
    assertThat(size(q)).isEqualTo(1);
  }

  @Test
  void aGrantWhoseCallerIsGoneIsGivenBack() throws Exception {
    int q = declare(Kind.QUEUE, "q");
    now(0, inv(q, Op.PUT, -1).addValues(enc(1)));
    ObjectCall take = dispatcher.invoke(1, inv(q, Op.TAKE, -1).build());
    assertThat(take.reply().get(5, TimeUnit.SECONDS).getValuesCount()).isEqualTo(1);
    take.abandon(ObjectDispatcher.TIMED_OUT);
    assertThat(size(q)).as("the item went back").isEqualTo(1);

    int l = declare(Kind.LOCK, "l");
    ObjectCall acquire = dispatcher.invoke(1, inv(l, Op.ACQUIRE, -1).build());
    acquire.reply().get(5, TimeUnit.SECONDS);
    acquire.abandon(ObjectDispatcher.TIMED_OUT);
    assertThat(now(0, inv(l, Op.LOCKED, 0)).getPresent()).as("the lock went back").isFalse();

    int p = declare(Kind.PIPE, "p");
    now(0, inv(p, Op.SEND, 0).setNumber(0).addValues(enc("x")));
    ObjectCall recv = dispatcher.invoke(1, inv(p, Op.RECV, -1).setNumber(1).build());
    assertThat(recv.reply().get(5, TimeUnit.SECONDS).getValuesCount()).isEqualTo(1);
    recv.abandon(ObjectDispatcher.TIMED_OUT);
    assertThat(now(1, inv(p, Op.POLL_READY, 0).setNumber(1)).getPresent()).as("the item went back").isTrue();
  }

  @Test
  void bulkReportsSettleSeveralItemsAtOnce() throws Exception {
    int j = declare(Kind.JOINABLE_QUEUE, "j");
    for (int i = 0; i < 5; i++) {
      now(0, inv(j, Op.PUT, -1).addValues(enc(i)));
    }
    Reply taken = now(1, inv(j, Op.TAKE, -1).setNumber(5)); // with read-ahead
    assertThat(taken.getValuesCount()).isEqualTo(5);
    now(1, inv(j, Op.TASK_DONE, 0).setNumber(3));
    Reply join = now(0, inv(j, Op.JOIN, TimeUnit.MILLISECONDS.toNanos(20)));
    assertThat(join.getTimedOut()).as("two items are not done yet").isTrue();
    now(1, inv(j, Op.TASK_DONE, 0).setNumber(2));
    assertThat(now(0, inv(j, Op.JOIN, TimeUnit.SECONDS.toNanos(5))).getTimedOut()).isFalse();

    int p = declare(Kind.QUEUE, "p");
    for (int i = 0; i < 5; i++) {
      now(0, inv(p, Op.PUT, -1).addValues(enc(i)));
    }
    assertThat(now(1, inv(p, Op.TAKE, -1).setNumber(5)).getValuesCount()).isEqualTo(5);
    now(1, inv(p, Op.CONSUMED, 0).setNumber(2)); // the first was handed out at the take
    dispatcher.registry().sessionEnded(1);
    assertThat(size(p)).as("the two not handed out came back").isEqualTo(2);
  }

  @Test
  void misuseComesBackAsTypedErrors() throws Exception {
    int l = declare(Kind.LOCK, "l");
    assertThat(now(1, inv(l, Op.RELEASE, 0)).getError().getCode()).isEqualTo(Code.ILLEGAL_MONITOR_STATE);
    assertThat(now(1, inv(l, Op.IS_SET, 0)).getError())
        .satisfies(e -> assertThat(e.getCode()).isEqualTo(Code.ILLEGAL_ARGUMENT))
        .satisfies(e -> assertThat(e.getMessage()).contains("a lock has no operation IS_SET"));
    int q = declare(Kind.QUEUE, "q");
    assertThat(now(1, inv(q, Op.TASK_DONE, 0)).getError().getCode()).isEqualTo(Code.ILLEGAL_STATE);
    assertThat(now(1, Invocation.newBuilder().setOp(Op.DECLARE)
        .setRef(ObjectRef.newBuilder().setKind(Kind.BARRIER).setName("b-0").setSize(0))).getError().getCode())
        .isEqualTo(Code.ILLEGAL_ARGUMENT);
  }

  @Test
  void nothingASessionSendsAfterItsEndIsPerformed() throws Exception {
    int l = declare(Kind.LOCK, "l");
    dispatcher.registry().sessionEnded(7);
    assertThat(now(7, inv(l, Op.TRY_ACQUIRE, 0)).getError().getMessage()).contains("session 7 has ended");
    assertThat(now(0, inv(l, Op.LOCKED, 0)).getPresent()).as("nobody holds it").isFalse();
  }

  @Test
  void theEndOfASessionGivesBackItsLock() throws Exception {
    int l = declare(Kind.LOCK, "l");
    now(5, inv(l, Op.ACQUIRE, -1));
    ObjectCall waiting = dispatcher.invoke(6, inv(l, Op.ACQUIRE, -1).build());
    assertThat(waiting.reply()).isNotDone();
    dispatcher.registry().sessionEnded(5);
    assertThat(waiting.reply().get(5, TimeUnit.SECONDS).hasError()).isFalse();
  }

  /** A key of the application's own class: decoding it runs its code. */
  record Key(String s) implements Serializable {}

  @Test
  void onlyValuesBeyondThePlainFormsMayRunApplicationCode() throws Exception {
    int m = declare(Kind.MAP, "m");
    int q = declare(Kind.QUEUE, "q");
    assertThat(dispatcher.runsApplicationCode(inv(m, Op.GET, 0).addValues(enc("plain")).build())).isFalse();
    assertThat(dispatcher.runsApplicationCode(inv(m, Op.PUT, 0).addValues(enc(42L)).addValues(enc(new Key("v"))).build()))
        .as("a stored value is not decoded").isFalse();
    assertThat(dispatcher.runsApplicationCode(inv(m, Op.GET, 0).addValues(enc(new Key("k"))).build())).isTrue();
    assertThat(dispatcher.runsApplicationCode(inv(m, Op.CONTAINS_VALUE, 0).addValues(enc(1)).build())).isTrue();
    assertThat(dispatcher.runsApplicationCode(inv(q, Op.PUT, 0).addValues(enc(new Key("k"))).build()))
        .as("queue items are never decoded").isFalse();
  }
}
