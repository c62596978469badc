package dev.jobengine.worker.internal;

import dev.jobengine.Codec;
import dev.jobengine.JobEngineException;
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
import dev.jobengine.core.wire.SessionHeader;
import dev.jobengine.core.wire.Tls;
import dev.jobengine.core.wire.Transports;
import dev.jobengine.proto.Failure;
import dev.jobengine.proto.Hello;
import dev.jobengine.proto.HubGrpc;
import dev.jobengine.proto.MasterMessage;
import dev.jobengine.proto.Pong;
import dev.jobengine.proto.Revoked;
import dev.jobengine.proto.Serve;
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
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * One worker's life: connect to the hub, say hello, run the tasks the master sends in sequence
 * order on the calling thread, send each result back, and end when the master says so or goes away.
 * Idle after tasks, it gives memory back ({@link IdleGc}).
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
  private final Tls tls;
  private final byte[] token;
  private final Payloads payloads;
  private final OrderedTaskQueue queue = new OrderedTaskQueue();
  private final Object sendLock = new Object();
  private volatile StreamObserver<WorkerMessage> out;
  private final ResultOutbox outbox = new ResultOutbox(batch -> send(WorkerMessage.newBuilder().setResults(batch).build()));
  /** The lease the master said the next tasks are for, not begun yet (see {@link Serve}). */
  private final AtomicReference<Serve> nextLease = new AtomicReference<>();
  /** Why the current lease's code could not be had: its tasks fail with this. On the task thread. */
  private JobEngineException leaseFailure;
  private LeaseCode code; // on the task thread
  private RemoteObjectAccess objects; // replaced when a lease begins; on the task thread
  private boolean jobFailed;
  private volatile boolean endingNormally;
  /** Set by the master's BecomeProcess, before the job arrives; null for a pool worker. */
  private volatile String processName;

  /** {@code token}: the proof of the authkey it presents ({@link dev.jobengine.core.wire.AuthToken#token}). */
  public WorkerSession(WorkerConfig config, byte[] token) throws ReflectiveOperationException {
    this(config, token, null);
  }

  /** {@code tls}: how to reach a daemon over TLS (a worker that joined of its own accord); null for plaintext. */
  public WorkerSession(WorkerConfig config, byte[] token, Tls tls) throws ReflectiveOperationException {
    this.tls = tls;
    this.config = config;
    this.token = token.clone();
    Codec codec =
        (Codec)
            Class.forName(config.codecClass(), true, Thread.currentThread().getContextClassLoader())
                .getConstructor()
                .newInstance();
    this.payloads = new Payloads(codec, config.maxPayloadBytes(), config.allowedClasses());
  }

  /**
   * Whether the worker has finished and is on its way out with an exit status of its own: the
   * end of its stdin (the master closes it once the worker's stream ended) is no orphaning then.
   */
  public boolean endingNormally() {
    return endingNormally;
  }

  /** Connects to the hub and runs until shut down; returns the process exit status. */
  public int run() throws InterruptedException {
    EventLoopGroup group = Transports.newEventLoopGroup(1, "jobengine-worker-io");
    ManagedChannel channel = Transports.channelWithToken(config.hub(), group, config.maxPayloadBytes(), token, tls);
    try {
      return serve(channel, group);
    } finally {
      channel.shutdown();
      if (!channel.awaitTermination(2, TimeUnit.SECONDS)) {
        channel.shutdownNow();
      }
      // waited for: a JVM that exits while an event loop still runs takes ~0.3 s longer to end
      group.shutdownGracefully(0, 1, TimeUnit.SECONDS).awaitUninterruptibly(2, TimeUnit.SECONDS);
    }
  }

  /**
   * Serves the master over {@code channel}: says hello, runs the tasks it sends in sequence order
   * on the calling thread, and sends each result back, flushed on {@code io}. Returns the exit
   * status once the master says to stop, or goes away.
   */
  int serve(Channel channel, Executor io) throws InterruptedException {
    code = new LeaseCode(channel, config.codeDir());
    openObjects(channel);
    try {
      out = HubGrpc.newStub(channel).work(new Inbound());
      send(
          WorkerMessage.newBuilder()
              .setHello(
                  Hello.newBuilder()
                      .setWorkerId(config.workerId())
                      .setPid(ProcessHandle.current().pid())
                      .setJvm(Runtime.version().toString())
                      .setHost(hostName()))
              .build());
      if (config.warmUp()) {
        WarmUp.start(payloads, objects);
      }
      MDC.put("worker", Integer.toString(config.workerId()));
      TaskAssignment task;
      IdleGc idleGc = new IdleGc();
      while ((task = queue.take(idleGc.waitNanos())) != null) {
        if (task == OrderedTaskQueue.NONE_YET) {
          idleGc.idle();
          continue;
        }
        Serve lease = nextLease.getAndSet(null);
        if (lease != null) {
          begin(lease, channel);
        }
        TaskResult result = runOne(task);
        flushObjects(objects);
        outbox.add(result, io);
        DeferredLogging.go(); // the first result is out: logging may start now
        idleGc.taskRan();
      }
      if (queue.isAborted()) {
        return EXIT_MASTER_GONE;
      }
      outbox.flush(); // not under sendLock: the outbox takes its own lock, then sendLock
      endingNormally = true; // before the master can see the end: it closes our stdin then
      synchronized (sendLock) {
        out.onCompleted();
      }
      return jobFailed ? EXIT_JOB_FAILED : EXIT_OK;
    } finally {
      objects.close();
      code.end();
    }
  }

  /**
   * The shared-object session: a launched worker's is its id (the master gives back what it held
   * when it dies, or when a lease ends); one that joined of its own accord has a fresh one per
   * lease, which ends with its stream.
   */
  private void openObjects(Channel channel) {
    long session = config.launched() ? config.workerId() : SessionHeader.newClientSession();
    objects = new RemoteObjectAccess(channel, session, payloads);
    String key = config.launched() ? config.hub() : engineKey(objects);
    Handles.register(key, objects);
    CurrentEngine.set(new WorkerEngine(new SharedObjects(key, objects)));
  }

  /**
   * The daemon's key for its handles, which a worker that joined may know it by another address
   * than: asked with one round trip (the address it dialed if the daemon does not say).
   */
  private String engineKey(RemoteObjectAccess access) {
    try {
      String key = access.invoke(
          dev.jobengine.proto.Invocation.newBuilder().setOp(dev.jobengine.proto.Invocation.Op.PING).build(), "the daemon")
          .getEngine();
      return key.isEmpty() ? config.hub() : key;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return config.hub();
    } catch (RuntimeException e) {
      log.debug("could not ask the daemon for its key", e);
      return config.hub();
    }
  }

  /**
   * On the task thread, before the first task of a lease: its classes come through a loader of
   * its own, and it starts on a fresh shared-object session (the master gave back what the last
   * lease held, and this worker's local state for it goes too).
   */
  private void begin(Serve lease, Channel channel) {
    objects.close();
    openObjects(channel);
    leaseFailure = null;
    ClassLoader loader;
    try {
      loader = code.begin(lease.getLease(), lease.getClassPathList(), lease.getServedClasses());
    } catch (RuntimeException e) {
      log.warn("cannot load the code of {}: {}", lease.getLease(), e.getMessage());
      leaseFailure = new JobEngineException("the worker cannot load the code of " + lease.getLease() + ": " + e.getMessage(), e);
      loader = WorkerSession.class.getClassLoader();
    }
    Thread.currentThread().setContextClassLoader(loader);
    MDC.put("lease", lease.getLease());
  }

  private static String hostName() {
    try {
      return java.net.InetAddress.getLocalHost().getHostName();
    } catch (java.io.IOException | SecurityException e) {
      return "unknown";
    }
  }

  private TaskResult runOne(TaskAssignment assignment) {
    TaskResult.Builder result = TaskResult.newBuilder().setTaskId(assignment.getTaskId());
    MDC.put("task", Long.toString(assignment.getTaskId()));
    long start = System.nanoTime();
    try {
      if (leaseFailure != null) {
        reportIfProcess(leaseFailure);
        return result.setFailure(Failures.describe(leaseFailure, Failure.Kind.NOT_SERIALIZABLE, payloads)).build();
      }
      Object decoded;
      try {
        decoded = payloads.decode(assignment.getPayload(), () -> "task " + assignment.getTaskId());
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
            .setValue(payloads.encode(value, () -> "result of task " + assignment.getTaskId()))
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
        case SERVE -> {
          queue.reset(); // the last lease is done: the next one's tasks start at seq 1
          nextLease.set(m.getServe());
        }
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
