package dev.jobengine.worker.internal;

import dev.jobengine.Codec;
import dev.jobengine.Task;
import dev.jobengine.TaskSerializationException;
import dev.jobengine.core.CurrentEngine;
import dev.jobengine.core.WorkerConfig;
import dev.jobengine.core.objects.Handles;
import dev.jobengine.core.objects.RemoteObjectAccess;
import dev.jobengine.core.objects.SharedObjects;
import dev.jobengine.core.wire.Failures;
import dev.jobengine.core.wire.Payloads;
import dev.jobengine.core.wire.Payloads.PayloadTooLargeException;
import dev.jobengine.core.wire.Transports;
import dev.jobengine.proto.Failure;
import dev.jobengine.proto.Hello;
import dev.jobengine.proto.HubGrpc;
import dev.jobengine.proto.MasterMessage;
import dev.jobengine.proto.Pong;
import dev.jobengine.proto.Revoked;
import dev.jobengine.proto.TaskAssignment;
import dev.jobengine.proto.TaskResult;
import dev.jobengine.proto.WorkerMessage;
import io.grpc.Channel;
import io.grpc.ManagedChannel;
import io.grpc.stub.StreamObserver;
import io.netty.channel.EventLoopGroup;
import java.util.List;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * One worker's life: connect to the hub, say hello, run the tasks the master sends in sequence
 * order on the calling thread, send each result back, and end when the master says so or goes away.
 */
public final class WorkerSession {
  private static final Logger log = LoggerFactory.getLogger(WorkerSession.class);

  /** Exit status when the master asked the worker to stop. */
  public static final int EXIT_OK = 0;
  /** Exit status of a process whose job threw. */
  public static final int EXIT_JOB_FAILED = 1;
  /** Exit status when the stream to the master broke. */
  public static final int EXIT_MASTER_GONE = 3;

  private final WorkerConfig config;
  private final byte[] authkey;
  private final Payloads payloads;
  private final OrderedTaskQueue queue = new OrderedTaskQueue();
  private final Object sendLock = new Object();
  private volatile StreamObserver<WorkerMessage> out;
  private final ResultOutbox outbox = new ResultOutbox(batch -> send(WorkerMessage.newBuilder().setResults(batch).build()));
  private boolean jobFailed;
  /** Set by the master's BecomeProcess, before the job arrives; null for a pool worker. */
  private volatile String processName;

  public WorkerSession(WorkerConfig config, byte[] authkey) throws ReflectiveOperationException {
    this.config = config;
    this.authkey = authkey.clone();
    Codec codec =
        (Codec)
            Class.forName(config.codecClass(), true, Thread.currentThread().getContextClassLoader())
                .getConstructor()
                .newInstance();
    this.payloads = new Payloads(codec, config.maxPayloadBytes(), config.allowedClasses());
  }

  /** Connects to the hub and runs until shut down; returns the process exit status. */
  public int run() throws InterruptedException {
    EventLoopGroup group = Transports.newEventLoopGroup(1, "jobengine-worker-io");
    ManagedChannel channel = Transports.channel(config.hub(), group, config.maxPayloadBytes(), authkey);
    try {
      return serve(channel, group);
    } finally {
      channel.shutdown();
      if (!channel.awaitTermination(2, TimeUnit.SECONDS)) {
        channel.shutdownNow();
      }
      group.shutdownGracefully(0, 1, TimeUnit.SECONDS);
    }
  }

  /**
   * Serves the master over {@code channel}: says hello, runs the tasks it sends in sequence order
   * on the calling thread, and sends each result back, flushed on {@code io}. Returns the exit
   * status once the master says to stop, or goes away.
   */
  int serve(Channel channel, Executor io) throws InterruptedException {
    RemoteObjectAccess objects = new RemoteObjectAccess(channel, config.workerId(), payloads);
    Handles.register(config.hub(), objects);
    CurrentEngine.set(new WorkerEngine(new SharedObjects(config.hub(), objects)));
    try {
      out = HubGrpc.newStub(channel).work(new Inbound());
      send(
          WorkerMessage.newBuilder()
              .setHello(
                  Hello.newBuilder()
                      .setWorkerId(config.workerId())
                      .setPid(ProcessHandle.current().pid())
                      .setJvm(Runtime.version().toString()))
              .build());
      if (config.warmUp()) {
        WarmUp.start(payloads, objects);
      }
      MDC.put("worker", Integer.toString(config.workerId()));
      TaskAssignment task;
      while ((task = queue.take()) != null) {
        TaskResult result = runOne(task);
        flushObjects(objects);
        outbox.add(result, io);
      }
      if (queue.isAborted()) {
        return EXIT_MASTER_GONE;
      }
      outbox.flush(); // not under sendLock: the outbox takes its own lock, then sendLock
      synchronized (sendLock) {
        out.onCompleted();
      }
      return jobFailed ? EXIT_JOB_FAILED : EXIT_OK;
    } finally {
      objects.close();
    }
  }

  private TaskResult runOne(TaskAssignment assignment) {
    TaskResult.Builder result = TaskResult.newBuilder().setTaskId(assignment.getTaskId());
    MDC.put("task", Long.toString(assignment.getTaskId()));
    long start = System.nanoTime();
    try {
      Object decoded;
      try {
        decoded = payloads.decode(assignment.getPayload(), "task " + assignment.getTaskId());
      } catch (TaskSerializationException e) {
        reportIfProcess(e);
        return result.setFailure(Failures.describe(e, Failure.Kind.NOT_SERIALIZABLE, payloads)).build();
      }
      Object value;
      try {
        value = ((Task<?>) decoded).call();
      } catch (Throwable t) {
        if (t instanceof InterruptedException) {
          Thread.interrupted();
        }
        reportIfProcess(t);
        return result.setFailure(Failures.describe(t, Failure.Kind.TASK_THREW, payloads)).build();
      }
      try {
        return result
            .setValue(payloads.encode(value, "result of task " + assignment.getTaskId()))
            .build();
      } catch (PayloadTooLargeException e) {
        return result.setFailure(Failures.describe(e, Failure.Kind.TOO_LARGE, payloads)).build();
      } catch (TaskSerializationException e) {
        return result.setFailure(Failures.describe(e, Failure.Kind.NOT_SERIALIZABLE, payloads)).build();
      }
    } finally {
      result.setElapsedNanos(System.nanoTime() - start);
      MDC.remove("task");
    }
  }

  /**
   * Waits until the master has performed the shared-object calls the task sent without waiting
   * (puts, sets), so that its result, or its process's exit, never overtakes them.
   */
  private static void flushObjects(RemoteObjectAccess objects) throws InterruptedException {
    try {
      objects.flush();
    } catch (RuntimeException e) {
      log.debug("could not flush shared-object calls", e); // the connection is lost: so is the result
    }
  }

  /** A process's job failed: say so on stderr, as Python prints the traceback, and exit with 1. */
  private void reportIfProcess(Throwable t) {
    String process = processName;
    if (process != null) {
      jobFailed = true;
      System.err.println("Process " + process + " (pid " + ProcessHandle.current().pid() + "):");
      t.printStackTrace();
    }
  }

  private void send(WorkerMessage message) {
    synchronized (sendLock) {
      out.onNext(message);
    }
  }

  private final class Inbound implements StreamObserver<MasterMessage> {
    @Override
    public void onNext(MasterMessage m) {
      switch (m.getKindCase()) {
        case TASKS -> m.getTasks().getTasksList().forEach(queue::add);
        case SHUTDOWN -> queue.shutdown();
        case BECOME_PROCESS -> processName = m.getBecomeProcess().getName();
        case PING -> pong(m.getPing().getId());
        case REVOKE -> {
          List<Long> revoked = queue.revoke(m.getRevoke().getTasksList());
          if (!revoked.isEmpty()) {
            send(WorkerMessage.newBuilder().setRevoked(Revoked.newBuilder().addAllTaskIds(revoked)).build());
          }
        }
        default -> log.warn("ignoring unknown message from the master: {}", m.getKindCase());
      }
    }

    /** Answered from the I/O thread, whatever the task is doing; dropped once the stream is done. */
    private void pong(long id) {
      try {
        send(WorkerMessage.newBuilder().setPong(Pong.newBuilder().setId(id)).build());
      } catch (IllegalStateException e) {
        log.debug("a ping crossed the end of the stream", e);
      }
    }

    @Override
    public void onError(Throwable t) {
      log.debug("stream to the master broke", t);
      queue.abort();
    }

    @Override
    public void onCompleted() {
      queue.abort();
    }
  }
}
