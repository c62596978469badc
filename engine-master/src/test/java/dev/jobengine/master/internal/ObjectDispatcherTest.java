package dev.jobengine.master.internal;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import dev.jobengine.JavaSerializationCodec;
import dev.jobengine.internal.objects.ObjectKind;
import dev.jobengine.internal.wire.Payloads;
import dev.jobengine.proto.Invocation;
import dev.jobengine.proto.ObjectRef;
import dev.jobengine.proto.Reply;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The dispatcher's timeouts, and what it gives back when a caller goes away. No network. */
class ObjectDispatcherTest {
  private final Payloads payloads = new Payloads(new JavaSerializationCodec(), 1 << 20);
  private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor();
  private final ObjectDispatcher dispatcher = new ObjectDispatcher(new ObjectRegistry(), payloads, timer);

  @AfterEach
  void stopTimer() {
    timer.shutdownNow();
  }

  private static Invocation.Builder inv(ObjectKind kind, String name, String op, long timeoutNanos) {
    return Invocation.newBuilder()
        .setRef(ObjectRef.newBuilder().setKind(kind.wireName()).setName(name))
        .setOp(op)
        .setTimeoutNanos(timeoutNanos);
  }

  private Reply now(long session, Invocation.Builder b) throws Exception {
    return dispatcher.invoke(session, b.build()).reply().get(5, TimeUnit.SECONDS);
  }

  private ByteString enc(Object o) {
    return payloads.encode(o, "test value");
  }

  private int queueSize(String name) throws Exception {
    return (int) now(0, inv(ObjectKind.QUEUE, name, "size", 0)).getNumber();
  }

  @Test
  void aBlockingCallTimesOutAndLeavesNoWaiter() throws Exception {
    Reply r = now(1, inv(ObjectKind.QUEUE, "q", "take", TimeUnit.MILLISECONDS.toNanos(20)));
    assertThat(r.getTimedOut()).isTrue();
    now(0, inv(ObjectKind.QUEUE, "q", "put", -1).addValues(enc(7)));
    assertThat(queueSize("q")).as("the item was not handed to the expired waiter").isEqualTo(1);
  }

  @Test
  void anAbandonedWaitLosesNothingThatArrivesLater() throws Exception {
    ObjectDispatcher.Call take = dispatcher.invoke(1, inv(ObjectKind.QUEUE, "q", "take", -1).build());
    assertThat(take.reply()).isNotDone();
    take.abandon(ObjectDispatcher.TIMED_OUT);
    now(0, inv(ObjectKind.QUEUE, "q", "put", -1).addValues(enc(7)));
    assertThat(queueSize("q")).isEqualTo(1);
  }

  @Test
  void aGrantWhoseCallerIsGoneIsGivenBack() throws Exception {
    now(0, inv(ObjectKind.QUEUE, "q", "put", -1).addValues(enc(1)));
    ObjectDispatcher.Call take = dispatcher.invoke(1, inv(ObjectKind.QUEUE, "q", "take", -1).build());
    assertThat(take.reply().get(5, TimeUnit.SECONDS).getValuesCount()).isEqualTo(1);
    take.abandon(ObjectDispatcher.TIMED_OUT);
    assertThat(queueSize("q")).as("the item went back").isEqualTo(1);

    ObjectDispatcher.Call acquire = dispatcher.invoke(1, inv(ObjectKind.LOCK, "l", "acquire", -1).build());
    acquire.reply().get(5, TimeUnit.SECONDS);
    acquire.abandon(ObjectDispatcher.TIMED_OUT);
    assertThat(now(0, inv(ObjectKind.LOCK, "l", "locked", 0)).getPresent()).as("the lock went back").isFalse();
  }

  @Test
  void bulkReportsSettleSeveralItemsAtOnce() throws Exception {
    for (int i = 0; i < 5; i++) {
      now(0, inv(ObjectKind.JOINABLE_QUEUE, "j", "put", -1).addValues(enc(i)));
    }
    Reply taken = now(1, inv(ObjectKind.JOINABLE_QUEUE, "j", "take", -1).setNumber(5)); // with read-ahead
    assertThat(taken.getValuesCount()).isEqualTo(5);
    now(1, inv(ObjectKind.JOINABLE_QUEUE, "j", "task_done", 0).setNumber(3));
    Reply join = now(0, inv(ObjectKind.JOINABLE_QUEUE, "j", "join", TimeUnit.MILLISECONDS.toNanos(20)));
    assertThat(join.getTimedOut()).as("two items are not done yet").isTrue();
    now(1, inv(ObjectKind.JOINABLE_QUEUE, "j", "task_done", 0).setNumber(2));
    assertThat(now(0, inv(ObjectKind.JOINABLE_QUEUE, "j", "join", TimeUnit.SECONDS.toNanos(5))).getTimedOut()).isFalse();

    for (int i = 0; i < 5; i++) {
      now(0, inv(ObjectKind.QUEUE, "p", "put", -1).addValues(enc(i)));
    }
    assertThat(now(1, inv(ObjectKind.QUEUE, "p", "take", -1).setNumber(5)).getValuesCount()).isEqualTo(5);
    now(1, inv(ObjectKind.QUEUE, "p", "consumed", 0).setNumber(2)); // the first was handed out at the take
    dispatcher.registry().sessionEnded(1);
    assertThat(queueSize("p")).as("the two not handed out came back").isEqualTo(2);
  }

  @Test
  void misuseAndKindMismatchesComeBackAsTypedErrors() throws Exception {
    assertThat(now(1, inv(ObjectKind.LOCK, "l", "release", 0)).getError().getType())
        .isEqualTo("IllegalMonitorStateException");
    assertThat(now(1, inv(ObjectKind.EVENT, "l", "is_set", 0)).getError().getType())
        .isEqualTo("IllegalStateException");
    assertThat(now(1, inv(ObjectKind.QUEUE, "q2", "no_such_op", 0)).getError().getType())
        .isEqualTo("IllegalArgumentException");
  }

  @Test
  void theEndOfASessionGivesBackItsLock() throws Exception {
    now(5, inv(ObjectKind.LOCK, "l", "acquire", -1));
    ObjectDispatcher.Call waiting = dispatcher.invoke(6, inv(ObjectKind.LOCK, "l", "acquire", -1).build());
    assertThat(waiting.reply()).isNotDone();
    dispatcher.registry().sessionEnded(5);
    assertThat(waiting.reply().get(5, TimeUnit.SECONDS).hasError()).isFalse();
  }
}
