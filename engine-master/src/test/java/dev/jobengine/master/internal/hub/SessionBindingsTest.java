package dev.jobengine.master.internal.hub;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.channel.unix.DomainSocketAddress;
import java.net.InetSocketAddress;
import org.junit.jupiter.api.Test;

class SessionBindingsTest {
  private final InetSocketAddress alice = new InetSocketAddress("127.0.0.1", 40001);
  private final InetSocketAddress mallory = new InetSocketAddress("127.0.0.1", 40002);

  @Test
  void theFirstConnectionToUseASessionOwnsItUntilItEnds() {
    SessionBindings b = new SessionBindings();
    long session = (1L << 40) + 7;
    assertThat(b.admit(session, alice)).isTrue();
    assertThat(b.admit(session, alice)).as("its own later calls").isTrue();
    assertThat(b.admit(session, mallory)).as("another connection naming it").isFalse();
    b.ended(session);
    assertThat(b.admit(session, mallory)).as("once ended, it is free").isTrue();
  }

  @Test
  void aWorkersSessionIsTheConnectionItSaidHelloOn() {
    SessionBindings b = new SessionBindings();
    assertThat(b.admit(3, mallory)).as("claimed before the worker connected").isTrue();
    b.bindWorker(3, alice);
    assertThat(b.admit(3, mallory)).isFalse();
    assertThat(b.admit(3, alice)).isTrue();
  }

  @Test
  void unixSocketCallsAreAdmitted() {
    SessionBindings b = new SessionBindings();
    DomainSocketAddress socket = new DomainSocketAddress("/tmp/jobengine-x/hub.sock");
    assertThat(b.admit(3, socket)).isTrue();
    assertThat(b.admit(3, socket)).isTrue();
    assertThat(b.admit(3, null)).isTrue();
  }
}
