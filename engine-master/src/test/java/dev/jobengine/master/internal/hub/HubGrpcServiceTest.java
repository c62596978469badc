package dev.jobengine.master.internal.hub;

import static org.assertj.core.api.Assertions.assertThat;

import dev.jobengine.proto.Hello;
import dev.jobengine.proto.HubGrpc;
import dev.jobengine.proto.MasterMessage;
import dev.jobengine.proto.ResultBatch;
import dev.jobengine.proto.Revoked;
import dev.jobengine.proto.Shutdown;
import dev.jobengine.proto.TaskResult;
import dev.jobengine.proto.WorkerMessage;
import io.grpc.ManagedChannel;
import io.grpc.Server;
import io.grpc.Status;
import io.grpc.inprocess.InProcessChannelBuilder;
import io.grpc.inprocess.InProcessServerBuilder;
import io.grpc.stub.StreamObserver;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The hub's worker-stream service over grpc-java's in-process transport, with a scripted worker. */
class HubGrpcServiceTest {
  private final HubGrpcService hub = new HubGrpcService();
  private Server server;
  private ManagedChannel channel;

  @BeforeEach
  void start() throws Exception {
    String name = InProcessServerBuilder.generateName();
    server = InProcessServerBuilder.forName(name).directExecutor().addService(hub).build().start();
    channel = InProcessChannelBuilder.forName(name).directExecutor().build();
  }

  @AfterEach
  void stop() throws Exception {
    assertThat(channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS)).isTrue();
    assertThat(server.shutdownNow().awaitTermination(5, TimeUnit.SECONDS)).isTrue();
  }

  /** The worker's side of a stream: what the master sent, and how it ended. */
  private static final class Client implements StreamObserver<MasterMessage> {
    final BlockingQueue<MasterMessage> received = new LinkedBlockingQueue<>();
    final CompletableFuture<Status> ended = new CompletableFuture<>();

    @Override
    public void onNext(MasterMessage m) {
      received.add(m);
    }

    @Override
    public void onError(Throwable t) {
      ended.complete(Status.fromThrowable(t));
    }

    @Override
    public void onCompleted() {
      ended.complete(Status.OK);
    }
  }

  /** Records what the hub hands the owner of a worker. */
  private static final class Recording implements WorkerEndpoint {
    @Override
    public void heard() {}

    final List<Object> events = new CopyOnWriteArrayList<>();
    volatile StreamObserver<MasterMessage> out;

    @Override
    public void connected(Hello hello, StreamObserver<MasterMessage> out) {
      this.out = out;
      events.add(hello);
    }

    @Override
    public void results(ResultBatch batch) {
      events.add(batch);
    }

    @Override
    public void revoked(Revoked revoked) {
      events.add(revoked);
    }

    @Override
    public void disconnected(Throwable cause) {
      events.add(cause == null ? "completed" : "broke");
    }
  }

  private static WorkerMessage hello(int id) {
    return WorkerMessage.newBuilder().setHello(Hello.newBuilder().setWorkerId(id).setPid(42)).build();
  }

  @Test
  void aStreamIsBoundByItsHelloToTheEndpointRegisteredForThatWorker() throws Exception {
    Recording endpoint = new Recording();
    hub.register(7, endpoint);
    Client client = new Client();
    StreamObserver<WorkerMessage> worker = HubGrpc.newStub(channel).work(client);
    worker.onNext(hello(7));
    ResultBatch batch = ResultBatch.newBuilder().addResults(TaskResult.newBuilder().setTaskId(1)).build();
    worker.onNext(WorkerMessage.newBuilder().setResults(batch).build());
    worker.onNext(WorkerMessage.newBuilder().setRevoked(Revoked.newBuilder().addTaskIds(2)).build());
    MasterMessage shutdown = MasterMessage.newBuilder().setShutdown(Shutdown.getDefaultInstance()).build();
    endpoint.out.onNext(shutdown);
    assertThat(client.received.poll(5, TimeUnit.SECONDS)).isEqualTo(shutdown);
    worker.onCompleted();
    assertThat(client.ended.get(5, TimeUnit.SECONDS).isOk()).isTrue();
    assertThat(endpoint.events).containsExactly(
        hello(7).getHello(), batch, Revoked.newBuilder().addTaskIds(2).build(), "completed");
    Client again = new Client();
    HubGrpc.newStub(channel).work(again).onNext(hello(7));
    assertThat(again.ended.get(5, TimeUnit.SECONDS).getCode())
        .as("a worker id binds once").isEqualTo(Status.Code.NOT_FOUND);
  }

  @Test
  void aStreamThatDoesNotStartWithHelloOrNamesAnUnknownWorkerIsRefused() throws Exception {
    Client noHello = new Client();
    HubGrpc.newStub(channel).work(noHello)
        .onNext(WorkerMessage.newBuilder().setResults(ResultBatch.getDefaultInstance()).build());
    assertThat(noHello.ended.get(5, TimeUnit.SECONDS).getCode()).isEqualTo(Status.Code.FAILED_PRECONDITION);
    Client unknown = new Client();
    HubGrpc.newStub(channel).work(unknown).onNext(hello(99));
    assertThat(unknown.ended.get(5, TimeUnit.SECONDS).getCode()).isEqualTo(Status.Code.NOT_FOUND);
  }

  @Test
  void aBrokenStreamIsReportedToItsEndpoint() throws Exception {
    Recording endpoint = new Recording();
    hub.register(3, endpoint);
    StreamObserver<WorkerMessage> worker = HubGrpc.newStub(channel).work(new Client());
    worker.onNext(hello(3));
    worker.onError(Status.CANCELLED.asRuntimeException());
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
    while (!endpoint.events.contains("broke") && System.nanoTime() < deadline) {
      Thread.sleep(5); // polling interval of a bounded wait
    }
    assertThat(endpoint.events).endsWith("broke");
  }
}
