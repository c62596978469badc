package dev.jobengine.master.internal.process;

import com.google.protobuf.ByteString;
import dev.jobengine.EngineProcess;
import dev.jobengine.Job;
import dev.jobengine.JobEngineException;
import dev.jobengine.PoolOptions;
import dev.jobengine.core.wire.Payloads;
import dev.jobengine.proto.Artifact;
import dev.jobengine.proto.LeasesGrpc;
import dev.jobengine.proto.ProcessEvent;
import dev.jobengine.proto.ProcessRequest;
import dev.jobengine.proto.StartProcess;
import io.grpc.Channel;
import io.grpc.stub.StreamObserver;
import java.time.Duration;
import java.util.List;
import java.util.OptionalInt;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;

/**
 * A connected engine's process: the job runs in a JVM of the daemon's fleet (a warm worker when
 * one is idle), over one Leases.Process stream that brings back its pid and exit status. If the
 * connection breaks the process is killed by the daemon, and is reported here as exited with -9.
 */
public final class DaemonProcess extends ProcessSetup {
  private static final Duration ANSWER_TIMEOUT = Duration.ofSeconds(10);

  private final Channel channel;
  private final Supplier<List<Artifact>> classPath;
  private final CompletableFuture<Long> pid = new CompletableFuture<>();
  private final CompletableFuture<Integer> exit = new CompletableFuture<>();
  private StreamObserver<ProcessRequest> out; // guarded by this

  /** {@code classPath} is asked for (and uploaded) when the process starts. */
  public DaemonProcess(Channel channel, Payloads payloads, Job job, Supplier<List<Artifact>> classPath, PoolOptions options) {
    super(payloads, job, options);
    this.channel = channel;
    this.classPath = classPath;
  }

  @Override
  public EngineProcess start() {
    ByteString payload = beginStart();
    List<Artifact> code = classPath.get();
    StreamObserver<ProcessRequest> stream = LeasesGrpc.newStub(channel).process(new Inbound());
    synchronized (this) {
      out = stream;
      out.onNext(ProcessRequest.newBuilder().setStart(StartProcess.newBuilder()
          .setName(name).setPayload(payload).addAllClassPath(code)
          .setStartupTimeoutNanos(options.startupTimeout().toNanos())).build());
    }
    Duration wait = options.startupTimeout().plus(ANSWER_TIMEOUT);
    try {
      pid.get(wait.toNanos(), TimeUnit.NANOSECONDS);
    } catch (ExecutionException e) {
      throw new JobEngineException("cannot start " + name + " on the daemon: " + e.getCause().getMessage(), e.getCause());
    } catch (TimeoutException e) {
      throw new JobEngineException("the daemon did not start " + name + " within " + wait, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new JobEngineException("interrupted while starting " + name, e);
    }
    return this;
  }

  private final class Inbound implements StreamObserver<ProcessEvent> {
    @Override
    public void onNext(ProcessEvent e) {
      switch (e.getKindCase()) {
        case STARTED -> pid.complete(e.getStarted());
        case EXITED -> {
          pid.complete(-1L);
          exit.complete(e.getExited());
        }
        case REFUSED -> {
          pid.completeExceptionally(new JobEngineException(e.getRefused()));
          exit.complete(1);
        }
        default -> { }
      }
    }

    @Override
    public void onError(Throwable t) {
      pid.completeExceptionally(new JobEngineException("the connection to the daemon broke: " + t.getMessage(), t));
      exit.complete(-9); // the daemon kills a process whose client went away
    }

    @Override
    public void onCompleted() {
      pid.completeExceptionally(new JobEngineException("the daemon ended the process's stream"));
      exit.complete(-9);
    }
  }

  private synchronized void request(ProcessRequest r, String what) {
    if (out == null) {
      throw new IllegalStateException("cannot " + what + " " + name + ": it was not started");
    }
    if (!exit.isDone()) {
      out.onNext(r);
    }
  }

  @Override
  public long pid() {
    return pid.isDone() && !pid.isCompletedExceptionally() ? pid.join() : -1;
  }

  @Override
  public boolean isAlive() {
    return pid() > 0 && !exit.isDone();
  }

  private void checkStarted(String what) {
    synchronized (this) {
      if (out == null) {
        throw new IllegalStateException("cannot " + what + " " + name + ": it was not started");
      }
    }
  }

  @Override
  public void join() throws InterruptedException {
    checkStarted("join");
    try {
      exit.get();
    } catch (ExecutionException e) {
      throw new IllegalStateException(e);
    }
  }

  @Override
  public boolean join(Duration timeout) throws InterruptedException {
    checkStarted("join");
    try {
      exit.get(timeout.toNanos(), TimeUnit.NANOSECONDS);
      return true;
    } catch (TimeoutException e) {
      return false;
    } catch (ExecutionException e) {
      throw new IllegalStateException(e);
    }
  }

  @Override
  public OptionalInt exitCode() {
    return exit.isDone() ? OptionalInt.of(exit.join()) : OptionalInt.empty();
  }

  @Override
  public void terminate() {
    request(ProcessRequest.newBuilder().setTerminate(true).build(), "terminate");
  }

  @Override
  public void kill() {
    request(ProcessRequest.newBuilder().setKill(true).build(), "kill");
  }

  /** Ends the stream; the daemon kills the process if it still runs. */
  public synchronized void abandon() {
    if (out != null && !exit.isDone()) {
      out.onError(io.grpc.Status.CANCELLED.withDescription("the client closed").asRuntimeException());
    }
  }

  @Override
  public String toString() {
    String status = pid() < 0 ? "initial" : isAlive() ? "started" : "stopped exitcode=" + exitCode().orElse(0);
    return "<EngineProcess " + name + " pid=" + pid() + " " + status + (daemon ? " daemon" : "") + " on the daemon>";
  }
}
