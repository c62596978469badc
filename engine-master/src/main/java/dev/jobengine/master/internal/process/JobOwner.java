package dev.jobengine.master.internal.process;

import com.google.protobuf.ByteString;
import dev.jobengine.master.internal.supervisor.SupervisedWorker;
import dev.jobengine.master.internal.supervisor.WorkerOwner;
import dev.jobengine.proto.MasterMessage;
import dev.jobengine.proto.ResultBatch;
import dev.jobengine.proto.Serve;
import dev.jobengine.proto.Shutdown;
import dev.jobengine.proto.TaskAssignment;
import dev.jobengine.proto.TaskBatch;
import java.util.function.Consumer;

/**
 * The owner of a process's worker, embedded or a daemon's: once connected, the worker serves the
 * lease, becomes the process, gets its job and is told to stop after it; how the job ended is its
 * exit status (its stack trace goes to the process's stderr).
 */
final class JobOwner implements WorkerOwner {
  private static final MasterMessage SHUTDOWN =
      MasterMessage.newBuilder().setShutdown(Shutdown.getDefaultInstance()).build();

  private final String name;
  private final Serve serve;
  private final ByteString payload;
  private final Consumer<SupervisedWorker> onGone;

  /** {@code onGone}: told once the worker's process ended and what it held was given back. */
  JobOwner(String name, Serve serve, ByteString payload, Consumer<SupervisedWorker> onGone) {
    this.name = name;
    this.serve = serve;
    this.payload = payload;
    this.onGone = onGone;
  }

  @Override
  public void connected(SupervisedWorker worker) {
    worker.send(MasterMessage.newBuilder().setServe(serve).build());
    worker.becomeProcess(name);
    worker.send(MasterMessage.newBuilder()
        .setTasks(TaskBatch.newBuilder().addTasks(TaskAssignment.newBuilder().setTaskId(1).setSeq(1).setPayload(payload)))
        .build());
    worker.send(SHUTDOWN);
  }

  @Override
  public void results(SupervisedWorker worker, ResultBatch batch) {
    // the exit status tells how the job ended
  }

  @Override
  public void gone(SupervisedWorker worker) {
    onGone.accept(worker);
  }

  @Override
  public String describe() {
    return "process " + name;
  }
}
