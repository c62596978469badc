package dev.jobengine.core.wire;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import dev.jobengine.proto.HubGrpc;
import dev.jobengine.proto.MasterMessage;
import dev.jobengine.proto.TaskAssignment;
import dev.jobengine.proto.TaskBatch;
import dev.jobengine.proto.WorkerMessage;
import io.grpc.KnownLength;
import io.grpc.MethodDescriptor;
import io.grpc.StatusRuntimeException;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.lang.management.ManagementFactory;
import java.util.Random;
import org.junit.jupiter.api.Test;

class MarshallingTest {
  private final MethodDescriptor<WorkerMessage, MasterMessage> work = Marshalling.fast(HubGrpc.getWorkMethod());

  private static MasterMessage batch(int payloadBytes) {
    byte[] payload = new byte[payloadBytes];
    new Random(7).nextBytes(payload);
    return MasterMessage.newBuilder().setTasks(TaskBatch.newBuilder()
        .addTasks(TaskAssignment.newBuilder().setTaskId(1).setSeq(1).setPayload(ByteString.copyFrom(payload)))
        .addTasks(TaskAssignment.newBuilder().setTaskId(2).setSeq(2).setPayload(ByteString.copyFromUtf8("small"))))
        .build();
  }

  @Test
  void largeAndSmallMessagesRoundTrip() {
    assertThat(work.getResponseMarshaller()).isInstanceOf(Marshalling.AliasingMarshaller.class);
    for (int size : new int[] {10, Marshalling.LARGE + 1, 5 << 20}) {
      MasterMessage m = batch(size);
      assertThat(work.parseResponse(work.streamResponse(m))).isEqualTo(m);
    }
    assertThat(Marshalling.fast(HubGrpc.getWorkMethod())).isSameAs(work);
  }

  @Test
  void aLargePayloadIsCopiedOutOfTheTransportOnceAndThenShared() {
    MasterMessage m = batch(8 << 20);
    byte[] wire = m.toByteArray();
    com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
    work.parseResponse(new KnownLengthStream(wire)); // classes loaded, nothing lazy left
    long before = threads.getCurrentThreadAllocatedBytes();
    MasterMessage parsed = work.parseResponse(new KnownLengthStream(wire));
    long allocated = threads.getCurrentThreadAllocatedBytes() - before;
    assertThat(parsed).isEqualTo(m);
    // one array of the message's size; a copy of the payload out of it would double that
    assertThat(allocated).isBetween((long) wire.length, wire.length + wire.length / 4L);
  }

  @Test
  void aLargeMessageThatIsNotProtobufIsAnInternalError() {
    byte[] garbage = new byte[Marshalling.LARGE * 2];
    java.util.Arrays.fill(garbage, (byte) 0xFF);
    assertThatThrownBy(() -> work.parseResponse(new KnownLengthStream(garbage)))
        .isInstanceOf(StatusRuntimeException.class)
        .hasMessageContaining("INTERNAL");
  }

  /** What gRPC hands a marshaller: a stream that knows its length. */
  private static final class KnownLengthStream extends ByteArrayInputStream implements KnownLength {
    KnownLengthStream(byte[] bytes) {
      super(bytes);
    }
  }

  @Test
  void streamsOfUnknownLengthAreLeftToGrpc() {
    MasterMessage m = batch(Marshalling.LARGE * 2);
    InputStream plain = new ByteArrayInputStream(m.toByteArray());
    assertThat(work.parseResponse(plain)).isEqualTo(m);
  }
}
