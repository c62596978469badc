package dev.jobengine.master.internal.objects.state;

/**
 * Master-hosted state that sessions can own a part of. A session is one worker process or client
 * connection (the master itself is {@link #MASTER_SESSION}); locks held, permits held, joinable
 * queue items taken and barrier places are owned per session.
 */
public interface SessionScoped {
  /** The session the master itself uses. */
  long MASTER_SESSION = 0L;

  /**
   * The session is gone (its process died or its connection closed): gives back at once everything
   * it owned, and cancels and removes its blocked waiters. Idempotent; unknown sessions are
   * ignored.
   */
  void sessionEnded(long session);
}
