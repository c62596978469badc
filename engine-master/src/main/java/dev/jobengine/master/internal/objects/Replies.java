package dev.jobengine.master.internal.objects;

import com.google.protobuf.ByteString;
import dev.jobengine.core.wire.ObjectErrors;
import dev.jobengine.proto.Reply;
import java.util.List;
import java.util.Optional;

/** The shapes of a shared-object reply. Values are the callers' encoded bytes, passed through. */
final class Replies {
  static final Reply OK = Reply.getDefaultInstance();
  static final Reply TIMED_OUT = Reply.newBuilder().setTimedOut(true).build();

  private Replies() {}

  static Reply error(Throwable t) {
    return Reply.newBuilder().setError(ObjectErrors.of(t)).build();
  }

  static Reply flag(boolean b) {
    return Reply.newBuilder().setPresent(b).build();
  }

  static Reply number(long n) {
    return Reply.newBuilder().setNumber(n).build();
  }

  static Reply value(Object v) {
    return Reply.newBuilder().setPresent(true).addValues((ByteString) v).build();
  }

  /** A value, or nothing (present false) for null. */
  static Reply nullable(Object v) {
    return v == null ? OK : value(v);
  }

  static Reply optional(Optional<Object> v) {
    return v.map(Replies::value).orElse(OK);
  }

  static Reply values(List<?> vs) {
    Reply.Builder b = Reply.newBuilder();
    for (Object v : vs) {
      b.addValues((ByteString) v);
    }
    return b.build();
  }
}
