package dev.jobengine.master.internal.objects;

import com.google.protobuf.ByteString;
import dev.jobengine.core.wire.Payloads;
import dev.jobengine.master.internal.objects.state.MapState;
import dev.jobengine.proto.Invocation;
import dev.jobengine.proto.Reply;
import java.util.List;

/**
 * Maps. Keys are decoded here (equal keys must match); values stay encoded and are decoded only to
 * compare them.
 */
final class MapOperations implements Operations<MapState> {
  private final Payloads payloads;

  MapOperations(Payloads payloads) {
    this.payloads = payloads;
  }

  @Override
  public ObjectCall invoke(long session, MapState m, Invocation inv) {
    return ObjectCall.done(reply(m, inv));
  }

  private Reply reply(MapState m, Invocation inv) {
    List<ByteString> v = inv.getValuesList();
    return switch (inv.getOp()) {
      case GET -> Replies.nullable(m.get(decode(v.get(0))));
      case PUT -> Replies.nullable(m.put(decode(v.get(0)), v.get(1)));
      case REMOVE -> Replies.nullable(m.remove(decode(v.get(0))));
      case CONTAINS_KEY -> Replies.flag(m.containsKey(decode(v.get(0))));
      case CONTAINS_VALUE -> Replies.flag(m.containsValue(decode(v.get(0)), this::decodeStored));
      case SIZE -> Replies.number(m.size());
      case CLEAR -> {
        m.clear();
        yield Replies.OK;
      }
      case PUT_IF_ABSENT -> Replies.nullable(m.putIfAbsent(decode(v.get(0)), v.get(1)));
      case REMOVE_IF -> Replies.flag(m.removeIf(decode(v.get(0)), decode(v.get(1)), this::decodeStored));
      case REPLACE -> Replies.nullable(m.replace(decode(v.get(0)), v.get(1)));
      case REPLACE_IF -> Replies.flag(m.replaceIf(decode(v.get(0)), decode(v.get(1)), v.get(2), this::decodeStored));
      case ENTRIES -> Replies.values(m.entries(k -> payloads.encode(k, "a map key")));
      default -> throw Operations.unknown(inv, "map");
    };
  }

  /**
   * Decoding a key in one of the codec's plain forms (a string, a number, ...) runs no application
   * code; anything else may, and so do the operations that decode stored values or encode keys.
   */
  @Override
  public boolean runsApplicationCode(Invocation inv) {
    return switch (inv.getOp()) {
      case GET, PUT, REMOVE, CONTAINS_KEY, PUT_IF_ABSENT, REPLACE ->
          inv.getValuesCount() > 0 && !payloads.isPlain(inv.getValues(0));
      case CONTAINS_VALUE, REMOVE_IF, REPLACE_IF, ENTRIES -> true;
      default -> false;
    };
  }

  private Object decode(ByteString bytes) {
    return payloads.decode(bytes, "a map key or value");
  }

  private Object decodeStored(Object stored) {
    return decode((ByteString) stored);
  }
}
