package dev.jobengine.master.internal.objects;

import com.google.protobuf.ByteString;
import dev.jobengine.master.internal.objects.state.QueueState;
import dev.jobengine.proto.Invocation;
import dev.jobengine.proto.Reply;
import java.util.ArrayList;

/** Queues and joinable queues. Items stay in the callers' encoded form. */
final class QueueOperations implements Operations<QueueState> {
  /** Most items one take hands a reading-ahead process beyond the one it asked for. */
  static final int MAX_READ_AHEAD = 1024;
  /** Most bytes of items one take hands a reading-ahead process beyond the one it asked for. */
  static final long MAX_READ_AHEAD_BYTES = 1 << 20;

  private final Blocking blocking;

  QueueOperations(Blocking blocking) {
    this.blocking = blocking;
  }

  @Override
  public ObjectCall invoke(long session, QueueState q, Invocation inv) {
    long timeout = inv.getTimeoutNanos();
    return switch (inv.getOp()) {
      case PUT -> blocking.call(q.put(session, inv.getValues(0)), timeout);
      case PUT_ALL -> {
        q.putAll(session, inv.getValuesList());
        yield ObjectCall.done(Replies.OK);
      }
      case OFFER -> ObjectCall.done(Replies.flag(q.offer(session, inv.getValues(0))));
      case TAKE -> take(session, q, inv);
      case CONSUMED -> {
        q.consumed(session, inv.getNumber());
        yield ObjectCall.done(Replies.OK);
      }
      case RETURN -> {
        q.returned(session, new ArrayList<>(inv.getValuesList()));
        yield ObjectCall.done(Replies.OK);
      }
      case POLL -> ObjectCall.done(Replies.optional(q.poll(session)));
      case PEEK -> ObjectCall.done(Replies.optional(q.peek()));
      case SIZE -> ObjectCall.done(Replies.number(q.size()));
      case REMAINING -> ObjectCall.done(Replies.number(q.remainingCapacity()));
      case FULL -> ObjectCall.done(Replies.flag(q.isFull()));
      case SNAPSHOT -> ObjectCall.done(Replies.values(q.snapshot()));
      case DRAIN -> ObjectCall.done(Replies.values(q.drain(session, (int) Math.min(Integer.MAX_VALUE, inv.getNumber()))));
      case TASK_DONE -> {
        for (long i = Math.max(1, inv.getNumber()); i > 0; i--) { // number: how many (0 means 1)
          q.taskDone(session);
        }
        yield ObjectCall.done(Replies.OK);
      }
      case JOIN -> blocking.call(q.join(), timeout);
      default -> throw Operations.unknown(inv, "queue");
    };
  }

  /** number > 1: the caller reads ahead, taking up to number - 1 more items present now. */
  private ObjectCall take(long session, QueueState q, Invocation inv) {
    int more = (int) Math.min(MAX_READ_AHEAD, Math.max(0, inv.getNumber() - 1));
    return blocking.call(
        q.take(session),
        inv.getTimeoutNanos(),
        first -> more == 0 ? Replies.value(first) : withReadAhead(q, session, first, more),
        r -> {
          q.returned(session, new ArrayList<>(r.getValuesList().subList(1, r.getValuesCount())));
          q.giveBack(session, r.getValues(0));
        });
  }

  private static Reply withReadAhead(QueueState q, long session, Object first, int more) {
    Reply.Builder b = Reply.newBuilder().setPresent(true).addValues((ByteString) first);
    for (Object v : q.readAhead(session, more, MAX_READ_AHEAD_BYTES, item -> ((ByteString) item).size())) {
      b.addValues((ByteString) v);
    }
    return b.build();
  }
}
