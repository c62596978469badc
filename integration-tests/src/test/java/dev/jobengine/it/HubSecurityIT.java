package dev.jobengine.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.jobengine.Engine;
import dev.jobengine.Pool;
import dev.jobengine.core.wire.AuthToken;
import dev.jobengine.core.wire.Transports;
import dev.jobengine.master.internal.EngineImpl;
import dev.jobengine.proto.Hello;
import dev.jobengine.proto.HubGrpc;
import dev.jobengine.proto.MasterMessage;
import dev.jobengine.proto.WorkerMessage;
import dev.jobengine.test.JobEngineExtension;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.stub.StreamObserver;
import io.netty.channel.EventLoopGroup;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
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
      Throwable t = error.get(30, TimeUnit.SECONDS);
      assertThat(Status.fromThrowable(t).getCode()).isEqualTo(Status.Code.UNAUTHENTICATED);
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
}
