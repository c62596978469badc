package dev.jobengine.master.internal.objects;

import dev.jobengine.proto.Invocation;

/**
 * The operation table of one kind of shared object: performs an invocation on the object's state
 * (a thin adapter: parse, call the state, shape the reply). An operation the kind does not have is
 * an {@link IllegalArgumentException}.
 */
interface Operations<S> {
  ObjectCall invoke(long session, S state, Invocation inv);

  /**
   * Whether performing {@code inv} may run the application's code (deserializing or serializing a
   * value beyond the codec's plain forms), which must not happen on a transport thread.
   */
  default boolean runsApplicationCode(Invocation inv) {
    return false;
  }

  static IllegalArgumentException unknown(Invocation inv, String kind) {
    return new IllegalArgumentException("a " + kind + " has no operation " + inv.getOp());
  }
}
