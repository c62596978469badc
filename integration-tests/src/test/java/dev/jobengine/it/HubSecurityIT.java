package dev.jobengine.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.jobengine.Engine;
import dev.jobengine.EngineOptions;
import dev.jobengine.Pool;
import dev.jobengine.core.wire.AuthToken;
import dev.jobengine.core.wire.Transports;
import dev.jobengine.master.internal.EngineImpl;
import dev.jobengine.proto.Hello;
import dev.jobengine.proto.HubGrpc;
import dev.jobengine.proto.MasterMessage;
import dev.jobengine.proto.WorkerMessage;
import dev.jobengine.test.JobEngineExtension;
import io.grpc.ConnectivityState;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.stub.StreamObserver;
import io.netty.channel.EventLoopGroup;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.time.Duration;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The hub serves only callers that know the authkey, and survives garbage. */
@ExtendWith(JobEngineExtension.class)
class HubSecurityIT {
  private Engine engine;
  private Pool pool;
  private String address;

  @BeforeEach
  void start() {
    pool = engine.pool(1);
    address = ((EngineImpl) engine).hubAddress();
  }

  @Test
  void theHubSocketIsInAPrivateDirectory() throws Exception {
    assertThat(address).startsWith("unix:");
    Path dir = Path.of(address.substring("unix:".length())).getParent();
    assertThat(Files.getPosixFilePermissions(dir))
        .containsExactlyInAnyOrder(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE, PosixFilePermission.OWNER_EXECUTE);
  }

  @Test
  void aCallerWithTheWrongAuthkeyIsRefusedAndThePoolGoesOn() throws Exception {
    EventLoopGroup group = Transports.newEventLoopGroup(1, "test-client");
    ManagedChannel channel = Transports.channel(address, group, 1 << 20, AuthToken.newKey());
    try {
      assertThat(Status.fromThrowable(helloRefusal(channel, Duration.ofSeconds(30))).getCode())
          .isEqualTo(Status.Code.UNAUTHENTICATED);
    } finally {
      channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
      group.shutdownGracefully(0, 1, TimeUnit.SECONDS).await(5, TimeUnit.SECONDS);
    }
    assertThat(pool.apply(() -> "served")).isEqualTo("served");
  }

  @Test
  void garbageOnTheSocketHarmsNothing() throws Exception {
    byte[] junk = new byte[64 << 10];
    new Random(42).nextBytes(junk);
    for (int i = 0; i < 5; i++) {
      try (SocketChannel s = SocketChannel.open(UnixDomainSocketAddress.of(address.substring("unix:".length())))) {
        s.write(ByteBuffer.wrap(junk, 0, 1000 * (i + 1)));
      } catch (java.io.IOException closedByHub) {
        // the hub may close the connection while we are still writing: that is the point
      }
    }
    assertThat(pool.apply(() -> 40 + 2)).isEqualTo(42);
    assertThat(pool.workerPids()).hasSize(1);
    assertThat(Set.copyOf(pool.map((Integer x) -> x, java.util.List.of(1, 2, 3)))).containsExactlyInAnyOrder(1, 2, 3);
  }

  /** Reads {@code socket} until the hub closes it; the time that took, or fails after {@code max}. */
  private static Duration timeUntilClosed(Socket socket, long startNanos, Duration max) throws Exception {
    socket.setSoTimeout((int) max.toMillis());
    InputStream in = socket.getInputStream();
    byte[] buf = new byte[4096];
    try {
      while (in.read(buf) >= 0) {
        // the hub's HTTP/2 settings, then perhaps a GOAWAY
      }
    } catch (SocketTimeoutException e) {
      throw new AssertionError("the hub kept a connection open for more than " + max, e);
    } catch (java.io.IOException reset) {
      // closed with a reset: closed all the same
    }
    return Duration.ofNanos(System.nanoTime() - startNanos);
  }

  @Test
  void silentGarbageAndRefusedConnectionsAreClosedWithinTheBoundWhileThePoolIsServed() throws Exception {
    Duration bound = Duration.ofSeconds(1);
    Duration max = Duration.ofSeconds(15);
    EngineOptions options =
        EngineOptions.builder().transport(EngineOptions.Transport.TCP).connectionTimeout(bound).build();
    try (Engine tcp = Engine.start(options); Pool served = tcp.pool(1)) {
      String hub = ((EngineImpl) tcp).hubAddress();
      assertThat(hub).startsWith("tcp:");
      String hostPort = hub.substring("tcp:".length());
      InetSocketAddress at = new InetSocketAddress(
          hostPort.substring(0, hostPort.lastIndexOf(':')), Integer.parseInt(hostPort.substring(hostPort.lastIndexOf(':') + 1)));
      assertThat(served.apply(() -> "before")).isEqualTo("before");

      long start = System.nanoTime();
      try (Socket silent = new Socket(); Socket garbage = new Socket()) {
        silent.connect(at);
        garbage.connect(at);
        byte[] junk = new byte[4096];
        new Random(7).nextBytes(junk);
        garbage.getOutputStream().write(junk);
        garbage.getOutputStream().flush();
        assertThat(served.apply(() -> "meanwhile")).isEqualTo("meanwhile");
        Duration garbageClosed = timeUntilClosed(garbage, start, max);
        Duration silentClosed = timeUntilClosed(silent, start, max);
        System.out.printf("closed by the hub: garbage after %d ms, silent after %d ms (bound %s)%n",
            garbageClosed.toMillis(), silentClosed.toMillis(), bound);
        assertThat(silentClosed).isGreaterThanOrEqualTo(bound.minusMillis(100)).isLessThan(max);
      }

      EventLoopGroup group = Transports.newEventLoopGroup(1, "test-intruder");
      ManagedChannel intruder = Transports.channel(hub, group, 1 << 20, AuthToken.newKey());
      try {
        Throwable refused = helloRefusal(intruder, max);
        assertThat(Status.fromThrowable(refused).getCode()).isEqualTo(Status.Code.UNAUTHENTICATED);
        long refusedAt = System.nanoTime();
        assertThat(intruder.getState(false)).isEqualTo(ConnectivityState.READY);
        CompletableFuture<Void> dropped = new CompletableFuture<>();
        intruder.notifyWhenStateChanged(ConnectivityState.READY, () -> dropped.complete(null));
        dropped.get(max.toMillis(), TimeUnit.MILLISECONDS);
        System.out.printf("closed by the hub: a connection with refused calls after %d ms idle%n",
            (System.nanoTime() - refusedAt) / 1_000_000);
        assertThat(intruder.getState(false)).isNotEqualTo(ConnectivityState.READY);
      } finally {
        intruder.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).awaitUninterruptibly(5, TimeUnit.SECONDS);
      }
      assertThat(served.apply(() -> "after")).isEqualTo("after");
    }
  }

  /** Says hello on a worker stream over {@code channel}; the error the hub ends it with, within {@code bound}. */
  private static Throwable helloRefusal(ManagedChannel channel, Duration bound) throws Exception {
    CompletableFuture<Throwable> error = new CompletableFuture<>();
    StreamObserver<WorkerMessage> out = HubGrpc.newStub(channel).work(new StreamObserver<MasterMessage>() {
      @Override
      public void onNext(MasterMessage value) {
        error.completeExceptionally(new AssertionError("served a message: " + value));
      }

      @Override
      public void onError(Throwable t) {
        error.complete(t);
      }

      @Override
      public void onCompleted() {
        error.completeExceptionally(new AssertionError("completed without error"));
      }
    });
    out.onNext(WorkerMessage.newBuilder().setHello(Hello.newBuilder().setWorkerId(1).setPid(1)).build());
    return error.get(bound.toMillis(), TimeUnit.MILLISECONDS);
  }
}
