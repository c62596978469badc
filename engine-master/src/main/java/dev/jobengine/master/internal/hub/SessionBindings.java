package dev.jobengine.master.internal.hub;

import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Which connection a session belongs to, over TCP: the first connection to use a session owns it
 * until the session ends, and a worker's session is the connection it said hello on. A call that
 * names a session owned by another connection (a client pretending to be a worker, or another
 * client whose session it read in a status report) is refused, so no client can give back, or
 * take, what another holds. Over a Unix domain socket (an embedded engine's, in a private
 * directory) every call is admitted.
 */
public final class SessionBindings {
  private static final Logger log = LoggerFactory.getLogger(SessionBindings.class);

  private final Map<Long, SocketAddress> owners = new ConcurrentHashMap<>();

  /** Whether a call of {@code session} from {@code remote} may go on. */
  public boolean admit(long session, SocketAddress remote) {
    if (!(remote instanceof InetSocketAddress)) {
      return true;
    }
    SocketAddress owner = owners.putIfAbsent(session, remote);
    if (owner == null || owner.equals(remote)) {
      return true;
    }
    log.warn("refused a call of session {} from {}: the session belongs to {}", session, remote, owner);
    return false;
  }

  /** Worker {@code session} said hello from {@code remote}: that connection owns its session. */
  public void bindWorker(long session, SocketAddress remote) {
    if (remote instanceof InetSocketAddress) {
      owners.put(session, remote);
    }
  }

  /** The session ended: the next connection to use it owns it. */
  public void ended(long session) {
    owners.remove(session);
  }
}
