package dev.jobengine.master.internal;

import com.google.protobuf.ByteString;
import dev.jobengine.internal.objects.ObjectKind;
import dev.jobengine.internal.wire.Payloads;
import dev.jobengine.master.internal.objects.BarrierState;
import dev.jobengine.master.internal.objects.EventState;
import dev.jobengine.master.internal.objects.LockState;
import dev.jobengine.master.internal.objects.QueueState;
import dev.jobengine.master.internal.objects.SemaphoreState;
import dev.jobengine.proto.Invocation;
import dev.jobengine.proto.ObjectError;
import dev.jobengine.proto.Reply;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * Performs invocations on the registry's objects for a session: the one place that maps operations
 * and exceptions to replies, used by the master's own handles and by the gRPC service alike.
 * Blocking operations hold no thread: they complete when the object grants them, or time out
 * through the timer, which withdraws the waiter.
 */
final class ObjectDispatcher {
  /**
   * A pending reply; {@code withdraw} stops waiting, and {@code giveBack} returns what a reply
   * granted (a lock, a permit, an item) when that reply cannot be delivered.
   */
  record Call(CompletableFuture<Reply> reply, Runnable withdraw, Consumer<Reply> giveBack) {
    static Call done(Reply r) {
      return new Call(CompletableFuture.completedFuture(r), () -> {}, r2 -> {});
    }

    /**
     * The caller is gone (interrupted, cancelled, engine closed): the reply becomes {@code instead}
     * and the wait is withdrawn. A grant that got there first is given back; one that comes later
     * is given back by the grant itself, since it finds the reply taken.
     */
    void abandon(Reply instead) {
      boolean won = reply.complete(instead);
      withdraw.run();
      if (!won) {
        giveBack.accept(reply.join());
      }
    }
  }

  private static final Reply OK = Reply.getDefaultInstance();
  /** Most items one take hands a reading-ahead process beyond the one it asked for. */
  static final int MAX_READ_AHEAD = 256;
  static final Reply TIMED_OUT = Reply.newBuilder().setTimedOut(true).build();

  private final ObjectRegistry registry;
  private final Payloads payloads;
  private final ScheduledExecutorService timer;

  ObjectDispatcher(ObjectRegistry registry, Payloads payloads, ScheduledExecutorService timer) {
    this.registry = registry;
    this.payloads = payloads;
    this.timer = timer;
  }

  ObjectRegistry registry() {
    return registry;
  }

  Call invoke(long session, Invocation inv) {
    try {
      ObjectKind kind = ObjectKind.fromWire(inv.getRef().getKind());
      ObjectRegistry.Entry e = registry.declare(kind, inv.getRef().getName(), inv.getRef().getSize());
      if (inv.getOp().equals("declare")) {
        return Call.done(OK);
      }
      return switch (kind) {
        case QUEUE, JOINABLE_QUEUE -> queue(session, (QueueState) e.state(), inv);
        case LOCK, RLOCK -> lock(session, (LockState) e.state(), inv);
        case SEMAPHORE, BOUNDED_SEMAPHORE -> semaphore(session, (SemaphoreState) e.state(), inv);
        case EVENT -> event(session, (EventState) e.state(), inv);
        case BARRIER -> barrier(session, (BarrierState) e.state(), inv);
        case MAP -> Call.done(map((MapState) e.state(), inv));
        case LIST -> Call.done(list((ListState) e.state(), inv));
      };
    } catch (RuntimeException ex) {
      return Call.done(error(ex));
    }
  }

  private Call queue(long session, QueueState q, Invocation inv) {
    return switch (inv.getOp()) {
      case "put" -> blocking(q.put(session, inv.getValues(0)), inv, v -> OK, r -> {});
      case "offer" -> Call.done(flag(q.offer(session, inv.getValues(0))));
      case "take" -> {
        // number > 1: the caller reads ahead, taking up to number - 1 more items present now
        int more = (int) Math.min(MAX_READ_AHEAD, Math.max(0, inv.getNumber() - 1));
        yield blocking(q.take(session), inv, v -> more == 0 ? value((ByteString) v) : withReadAhead(q, session, v, more),
            r -> {
              q.returned(session, new ArrayList<>(r.getValuesList().subList(1, r.getValuesCount())));
              q.giveBack(session, r.getValues(0));
            });
      }
      case "consumed" -> {
        q.consumed(session, inv.getNumber());
        yield Call.done(OK);
      }
      case "return" -> {
        q.returned(session, new ArrayList<>(inv.getValuesList()));
        yield Call.done(OK);
      }
      case "poll" -> Call.done(optional(q.poll(session)));
      case "peek" -> Call.done(optional(q.peek()));
      case "size" -> Call.done(number(q.size()));
      case "remaining" -> Call.done(number(q.remainingCapacity()));
      case "full" -> Call.done(flag(q.isFull()));
      case "snapshot" -> Call.done(values(q.snapshot()));
      case "drain" -> Call.done(values(q.drain(session, (int) Math.min(Integer.MAX_VALUE, inv.getNumber()))));
      case "task_done" -> {
        for (long i = Math.max(1, inv.getNumber()); i > 0; i--) { // number: how many (0 means 1)
          q.taskDone(session);
        }
        yield Call.done(OK);
      }
      case "join" -> blocking(q.join(), inv, v -> OK, r -> {});
      default -> unknown(inv);
    };
  }

  private static Reply withReadAhead(QueueState q, long session, Object first, int more) {
    Reply.Builder b = Reply.newBuilder().setPresent(true).addValues((ByteString) first);
    for (Object v : q.readAhead(session, more)) {
      b.addValues((ByteString) v);
    }
    return b.build();
  }

  private Call lock(long session, LockState l, Invocation inv) {
    return switch (inv.getOp()) {
      case "acquire" -> blocking(l.acquire(session), inv, v -> OK, r -> l.release(session));
      case "try_acquire" -> Call.done(flag(l.tryAcquire(session)));
      case "release" -> {
        l.release(session);
        yield Call.done(OK);
      }
      case "locked" -> Call.done(flag(l.isLocked()));
      default -> unknown(inv);
    };
  }

  private Call semaphore(long session, SemaphoreState s, Invocation inv) {
    return switch (inv.getOp()) {
      case "acquire" -> blocking(s.acquire(session), inv, v -> OK, r -> s.release(session));
      case "try_acquire" -> Call.done(flag(s.tryAcquire(session)));
      case "release" -> {
        s.release(session);
        yield Call.done(OK);
      }
      case "available" -> Call.done(number(s.availablePermits()));
      default -> unknown(inv);
    };
  }

  private Call event(long session, EventState ev, Invocation inv) {
    switch (inv.getOp()) {
      case "set" -> ev.set();
      case "clear" -> ev.clear();
      case "is_set" -> {
        return Call.done(flag(ev.isSet()));
      }
      case "await" -> {
        return blocking(ev.await(session), inv, v -> OK, r -> {});
      }
      default -> {
        return unknown(inv);
      }
    }
    return Call.done(OK);
  }

  private Call barrier(long session, BarrierState b, Invocation inv) {
    return switch (inv.getOp()) {
      case "await" -> blocking(b.await(session), inv, v -> number((Integer) v), r -> {});
      case "reset" -> {
        b.reset();
        yield Call.done(OK);
      }
      default -> unknown(inv);
    };
  }

  private Reply map(MapState m, Invocation inv) {
    List<ByteString> v = inv.getValuesList();
    return switch (inv.getOp()) {
      case "get" -> nullable(m.get(key(v.get(0))));
      case "put" -> nullable(m.put(key(v.get(0)), v.get(1)));
      case "remove" -> nullable(m.remove(key(v.get(0))));
      case "contains_key" -> flag(m.containsKey(key(v.get(0))));
      case "contains_value" -> flag(m.containsValue(key(v.get(0)), this::key));
      case "size" -> number(m.size());
      case "clear" -> {
        m.clear();
        yield OK;
      }
      case "put_if_absent" -> nullable(m.putIfAbsent(key(v.get(0)), v.get(1)));
      case "remove_if" -> flag(m.removeIf(key(v.get(0)), key(v.get(1)), this::key));
      case "replace" -> nullable(m.replace(key(v.get(0)), v.get(1)));
      case "replace_if" -> flag(m.replaceIf(key(v.get(0)), key(v.get(1)), v.get(2), this::key));
      case "entries" -> values(m.entries(k -> payloads.encode(k, "a map key")));
      default -> error(new IllegalArgumentException("unknown operation " + inv.getOp()));
    };
  }

  private Reply list(ListState l, Invocation inv) {
    int index = (int) inv.getNumber();
    return switch (inv.getOp()) {
      case "get" -> value(l.get(index));
      case "set" -> value(l.set(index, inv.getValues(0)));
      case "add" -> {
        l.add(index, inv.getValues(0));
        yield OK;
      }
      case "remove_at" -> value(l.removeAt(index));
      case "size" -> number(l.size());
      case "clear" -> {
        l.clear();
        yield OK;
      }
      case "index_of" -> number(l.indexOf(key(inv.getValues(0)), this::key));
      case "snapshot" -> values(l.snapshot());
      default -> error(new IllegalArgumentException("unknown operation " + inv.getOp()));
    };
  }

  private Object key(ByteString bytes) {
    return payloads.decode(bytes, "a map key or value");
  }

  /**
   * Ties a domain future to a reply: completes with {@code onValue} of its result, with a timeout
   * reply when the timer withdraws it first, or with the error it failed with.
   */
  private <T> Call blocking(
      CompletableFuture<T> grant, Invocation inv, Function<T, Reply> onValue, Consumer<Reply> giveBack) {
    long timeout = inv.getTimeoutNanos();
    if (timeout == 0 && !grant.isDone()) {
      grant.cancel(false);
    } else if (timeout > 0 && !grant.isDone()) {
      var scheduled = timer.schedule(() -> grant.cancel(false), timeout, TimeUnit.NANOSECONDS);
      grant.whenComplete((v, e) -> scheduled.cancel(false));
    }
    Consumer<Reply> giveBackGrant = r -> {
      if (!r.getTimedOut() && !r.hasError()) {
        giveBack.accept(r);
      }
    };
    CompletableFuture<Reply> reply = new CompletableFuture<>();
    grant.whenComplete((v, e) -> {
      Reply r;
      if (e == null) {
        r = onValue.apply(v);
      } else {
        Throwable cause = e instanceof CompletionException && e.getCause() != null ? e.getCause() : e;
        r = cause instanceof CancellationException ? TIMED_OUT : error(cause);
      }
      if (!reply.complete(r)) {
        giveBackGrant.accept(r); // the caller went away first
      }
    });
    return new Call(reply, () -> grant.cancel(false), giveBackGrant);
  }

  private static Call unknown(Invocation inv) {
    return Call.done(error(new IllegalArgumentException("unknown operation " + inv.getOp() + " on " + inv.getRef().getKind())));
  }

  static Reply error(Throwable t) {
    return Reply.newBuilder()
        .setError(ObjectError.newBuilder()
            .setType(t.getClass().getSimpleName())
            .setMessage(String.valueOf(t.getMessage())))
        .build();
  }

  private static Reply flag(boolean b) {
    return Reply.newBuilder().setPresent(b).build();
  }

  private static Reply number(long n) {
    return Reply.newBuilder().setNumber(n).build();
  }

  private static Reply value(ByteString v) {
    return Reply.newBuilder().setPresent(true).addValues(v).build();
  }

  private static Reply nullable(ByteString v) {
    return v == null ? OK : value(v);
  }

  private static Reply optional(Optional<Object> v) {
    return v.map(o -> value((ByteString) o)).orElse(OK);
  }

  private static Reply values(List<? extends Object> vs) {
    Reply.Builder b = Reply.newBuilder();
    for (Object v : vs) {
      b.addValues((ByteString) v);
    }
    return b.build();
  }
}
