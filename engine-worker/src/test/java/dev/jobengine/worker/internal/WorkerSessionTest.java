package dev.jobengine.worker.internal;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import dev.jobengine.JavaSerializationCodec;
import dev.jobengine.Task;
import dev.jobengine.core.WorkerConfig;
import dev.jobengine.core.wire.Payloads;
import dev.jobengine.proto.Failure;
import dev.jobengine.proto.HubGrpc;
import dev.jobengine.proto.Invocation;
import dev.jobengine.proto.MasterMessage;
import dev.jobengine.proto.ObjectsGrpc;
import dev.jobengine.proto.Reply;
import dev.jobengine.proto.Revocation;
import dev.jobengine.proto.Revoke;
import dev.jobengine.proto.Shutdown;
import dev.jobengine.proto.TaskAssignment;
import dev.jobengine.proto.TaskBatch;
import dev.jobengine.proto.TaskResult;
import dev.jobengine.proto.WorkerMessage;
import io.grpc.ManagedChannel;
import io.grpc.Server;
import io.grpc.inprocess.InProcessChannelBuilder;
import io.grpc.inprocess.InProcessServerBuilder;
import io.grpc.stub.StreamObserver;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The worker runtime against a scripted master (its hub and shared-object services) over grpc-java's
 * in-process transport: hello, tasks in sequence order, results and failures, revocation, shutdown.
 */
class WorkerSessionTest {
  /** Holds the task with seq 1 until the test lets it go (the worker runs in this JVM); one per test. */
  static volatile CountDownLatch release;

  private final Payloads payloads = new Payloads(new JavaSerializationCodec(), 1 << 20);
  private final BlockingQueue<WorkerMessage> fromWorker = new LinkedBlockingQueue<>();
  private final CompletableFuture<StreamObserver<MasterMessage>> toWorker = new CompletableFuture<>();
  private final ExecutorService threads = Executors.newCachedThreadPool();
  private Server server;
  private ManagedChannel channel;

  @BeforeEach
  void start() throws Exception {
    release = new CountDownLatch(1);
    String name = InProcessServerBuilder.generateName();
    server = InProcessServerBuilder.forName(name).directExecutor()
        .addService(new HubGrpc.HubImplBase() {
          @Override
          public StreamObserver<WorkerMessage> work(StreamObserver<MasterMessage> out) {
            toWorker.complete(out);
            return observer(fromWorker::add, out);
          }
        })
        .addService(new ObjectsGrpc.ObjectsImplBase() {
          @Override
          public StreamObserver<Invocation> session(StreamObserver<Reply> out) {
            // a ping (the worker's flush after each task) is answered at once
            return observer(inv -> out.onNext(Reply.newBuilder().setCallId(inv.getCallId()).build()), out);
          }
        })
        .build()
        .start();
    channel = InProcessChannelBuilder.forName(name).directExecutor().build();
  }

  @AfterEach
  void stop() throws Exception {
    release.countDown();
    assertThat(channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS)).isTrue();
    assertThat(server.shutdownNow().awaitTermination(5, TimeUnit.SECONDS)).isTrue();
    threads.shutdownNow();
    assertThat(threads.awaitTermination(5, TimeUnit.SECONDS)).isTrue();
  }

  private static <T> StreamObserver<T> observer(java.util.function.Consumer<T> onNext, StreamObserver<?> out) {
    return new StreamObserver<>() {
      @Override
      public void onNext(T value) {
        onNext.accept(value);
      }

      @Override
      public void onError(Throwable t) {}

      @Override
      public void onCompleted() {
        out.onCompleted();
      }
    };
  }

  /** A worker with this hub key and id, serving the scripted master on a thread of the test's. */
  private CompletableFuture<Integer> serve(String hub, int id) throws ReflectiveOperationException {
    WorkerSession session = new WorkerSession(
        new WorkerConfig(hub, id, JavaSerializationCodec.class.getName(), 1 << 20, ProcessHandle.current().pid(), false),
        new byte[32]);
    return CompletableFuture.supplyAsync(() -> {
      try {
        return session.serve(channel, threads);
      } catch (InterruptedException e) {
        throw new IllegalStateException(e);
      }
    }, threads);
  }

  private TaskAssignment task(long id, long seq, Task<?> task) {
    return TaskAssignment.newBuilder().setTaskId(id).setSeq(seq).setPayload(payloads.encode(task, "test task")).build();
  }

  private static MasterMessage batch(TaskAssignment... tasks) {
    return MasterMessage.newBuilder().setTasks(TaskBatch.newBuilder().addAllTasks(List.of(tasks))).build();
  }

  private WorkerMessage next() throws InterruptedException {
    WorkerMessage m = fromWorker.poll(10, TimeUnit.SECONDS);
    assertThat(m).as("a message from the worker").isNotNull();
    return m;
  }

  /** Results from the worker until {@code n} have come, in the order they came. */
  private List<TaskResult> results(int n) throws InterruptedException {
    List<TaskResult> out = new ArrayList<>();
    while (out.size() < n) {
      WorkerMessage m = next();
      assertThat(m.hasResults()).as("only results now: %s", m).isTrue();
      out.addAll(m.getResults().getResultsList());
    }
    return out;
  }

  @Test
  void aWorkerRunsItsTasksInSequenceOrderAndStopsWhenTold() throws Exception {
    CompletableFuture<Integer> exit = serve("in-process", 5);
    WorkerMessage hello = next();
    assertThat(hello.getHello().getWorkerId()).isEqualTo(5);
    assertThat(hello.getHello().getPid()).isEqualTo(ProcessHandle.current().pid());
    StreamObserver<MasterMessage> master = toWorker.get(5, TimeUnit.SECONDS);

    // seq 3 and 4 arrive before 2: they wait for it; seq 1 holds the worker until released
    master.onNext(batch(task(10, 1, () -> {
      release.await(10, TimeUnit.SECONDS);
      return "first";
    })));
    master.onNext(batch(task(30, 3, () -> {
      throw new IllegalStateException("boom");
    }), task(40, 4, () -> "never")));
    master.onNext(batch(TaskAssignment.newBuilder().setTaskId(20).setSeq(2)
        .setPayload(ByteString.copyFromUtf8("not a task")).build()));
    master.onNext(MasterMessage.newBuilder()
        .setRevoke(Revoke.newBuilder().addTasks(Revocation.newBuilder().setTaskId(40).setSeq(4))).build());
    WorkerMessage revoked = next();
    assertThat(revoked.getRevoked().getTaskIdsList()).as("not started: given back").containsExactly(40L);
    release.countDown();
    List<TaskResult> results = results(3);
    assertThat(results).extracting(TaskResult::getTaskId).containsExactly(10L, 20L, 30L);
    assertThat(payloads.decode(results.get(0).getValue(), "result")).isEqualTo("first");
    assertThat(results.get(1).getFailure().getKind()).isEqualTo(Failure.Kind.NOT_SERIALIZABLE);
    assertThat(results.get(2).getFailure().getKind()).isEqualTo(Failure.Kind.TASK_THREW);
    assertThat(results.get(2).getFailure().getClassName()).isEqualTo(IllegalStateException.class.getName());
    assertThat(results.get(2).getFailure().getMessage()).isEqualTo("boom");

    master.onNext(MasterMessage.newBuilder().setShutdown(Shutdown.getDefaultInstance()).build());
    assertThat(exit.get(10, TimeUnit.SECONDS)).isEqualTo(WorkerSession.EXIT_OK);
  }

  @Test
  void aWorkerWhoseMasterGoesAwayEndsWithTheOrphanStatus() throws Exception {
    CompletableFuture<Integer> exit = serve("in-process-2", 6);
    assertThat(next().hasHello()).isTrue();
    toWorker.get(5, TimeUnit.SECONDS).onCompleted();
    assertThat(exit.get(10, TimeUnit.SECONDS)).isEqualTo(WorkerSession.EXIT_MASTER_GONE);
  }
}
