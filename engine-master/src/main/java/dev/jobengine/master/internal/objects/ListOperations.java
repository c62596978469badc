package dev.jobengine.master.internal.objects;

import com.google.protobuf.ByteString;
import dev.jobengine.core.wire.Payloads;
import dev.jobengine.master.internal.objects.state.ListState;
import dev.jobengine.proto.Invocation;
import dev.jobengine.proto.Reply;

/** Lists. Elements stay encoded and are decoded only to compare them ({@code indexOf}). */
final class ListOperations implements Operations<ListState> {
  private final Payloads payloads;

  ListOperations(Payloads payloads) {
    this.payloads = payloads;
  }

  @Override
  public ObjectCall invoke(long session, ListState l, Invocation inv) {
    return ObjectCall.done(reply(l, inv));
  }

  private Reply reply(ListState l, Invocation inv) {
    int index = (int) inv.getNumber();
    return switch (inv.getOp()) {
      case GET -> Replies.value(l.get(index));
      case SET -> Replies.value(l.set(index, inv.getValues(0)));
      case ADD -> {
        l.add(index, inv.getValues(0));
        yield Replies.OK;
      }
      case REMOVE_AT -> Replies.value(l.removeAt(index));
      case SIZE -> Replies.number(l.size());
      case CLEAR -> {
        l.clear();
        yield Replies.OK;
      }
      case INDEX_OF -> Replies.number(l.indexOf(decode(inv.getValues(0)), v -> decode((ByteString) v)));
      case SNAPSHOT -> Replies.values(l.snapshot());
      default -> throw Operations.unknown(inv, "list");
    };
  }

  /** {@code indexOf} decodes every element. */
  @Override
  public boolean runsApplicationCode(Invocation inv) {
    return inv.getOp() == Invocation.Op.INDEX_OF;
  }

  private Object decode(ByteString bytes) {
    return payloads.decode(bytes, "a list element");
  }
}
