package dev.jobengine.master.internal.code;

import static org.assertj.core.api.Assertions.assertThat;

import dev.jobengine.proto.ResourceReply;
import dev.jobengine.proto.ResourceRequest;
import io.grpc.Status;
import io.grpc.stub.StreamObserver;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

class ServedClassesTest {
  /** Holds one resource, in memory only. */
  private static final ClassLoader IN_MEMORY = new ClassLoader("in-memory", null) {
    @Override
    public InputStream getResourceAsStream(String name) {
      return name.equals("app/Main.class") ? new ByteArrayInputStream(new byte[] {1, 2, 3})
          : name.equals("app/Big.bin") ? new ByteArrayInputStream(new byte[100]) : null;
    }
  };

  private final ServedClasses served = new ServedClasses(64);

  @Test
  void aLeaseGetsTheBytesOfItsLoadersAndNothingOnceItEnded() {
    served.register("pool-1", List.of(IN_MEMORY));
    assertThat(ask("pool-1", "app/Main.class").reply.getData().toByteArray()).containsExactly(1, 2, 3);
    assertThat(ask("pool-1", "app/Missing.class").reply.getFound()).isFalse();
    assertThat(ask("pool-2", "app/Main.class").status.getCode()).as("another lease's loaders are not asked")
        .isEqualTo(Status.Code.NOT_FOUND);
    served.remove("pool-1");
    assertThat(ask("pool-1", "app/Main.class").status.getCode()).isEqualTo(Status.Code.NOT_FOUND);
  }

  @Test
  void namesAndSizesAreBounded() {
    served.register("pool-1", List.of(IN_MEMORY));
    assertThat(ask("pool-1", "app/Big.bin").status.getCode()).isEqualTo(Status.Code.RESOURCE_EXHAUSTED);
    assertThat(ask("pool-1", "x".repeat(5000)).status.getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
    assertThat(ask("pool-1", "").status.getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
  }

  @Test
  void aLeaseWithoutLoadersToServeIsNotRegistered() {
    served.register("pool-1", List.of());
    assertThat(served.serves("pool-1")).isFalse();
  }

  private record Answer(ResourceReply reply, Status status) {}

  private Answer ask(String lease, String name) {
    AtomicReference<ResourceReply> reply = new AtomicReference<>();
    AtomicReference<Status> status = new AtomicReference<>(Status.OK);
    served.resource(ResourceRequest.newBuilder().setLease(lease).setName(name).build(), new StreamObserver<>() {
      @Override
      public void onNext(ResourceReply r) {
        reply.set(r);
      }

      @Override
      public void onError(Throwable t) {
        status.set(Status.fromThrowable(t));
      }

      @Override
      public void onCompleted() {}
    });
    return new Answer(reply.get(), status.get());
  }
}
