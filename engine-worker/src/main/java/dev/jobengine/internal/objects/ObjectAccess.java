package dev.jobengine.internal.objects;

import dev.jobengine.internal.wire.Payloads;
import dev.jobengine.proto.Invocation;
import dev.jobengine.proto.Reply;

/** How handles reach the master's objects: directly in the master, over gRPC in a worker. */
public interface ObjectAccess {
  /**
   * Performs one invocation, waiting (for blocking operations) at most its timeout. Throws
   * InterruptedException if the calling thread is interrupted while waiting; the master then
   * withdraws the wait.
   */
  Reply invoke(Invocation invocation) throws InterruptedException;

  /** The engine's codec with its payload limit. */
  Payloads payloads();
}
