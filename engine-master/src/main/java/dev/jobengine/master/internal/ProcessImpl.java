package dev.jobengine.master.internal;

import com.google.protobuf.ByteString;
import dev.jobengine.EngineProcess;
import dev.jobengine.Job;
import dev.jobengine.PoolOptions;
import dev.jobengine.internal.JobTask;
import dev.jobengine.proto.Hello;
import dev.jobengine.proto.MasterMessage;
import dev.jobengine.proto.ResultBatch;
import dev.jobengine.proto.Revoked;
import io.grpc.stub.StreamObserver;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.Objects;
import java.util.OptionalInt;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Python's {@code Process}: one job in a JVM of its own. The JVM is a worker in process mode: it
 * receives the job, runs it, and exits with 0, or 1 if the job threw (its stack trace goes to the
 * process's stderr). Exit codes of processes killed by a signal N are reported as -N.
 */
final class ProcessImpl implements EngineProcess {
  private static final AtomicInteger NAMES = new AtomicInteger();

  enum State { NEW, STARTED }

  private final PoolContext ctx;
  private final Job job;
  private final PoolOptions options;
  private String name = "Process-" + NAMES.incrementAndGet();
  private boolean daemon;
  private State state = State.NEW;
  private volatile WorkerProcess worker;

  ProcessImpl(PoolContext ctx, Job job, PoolOptions options) {
    this.ctx = ctx;
    this.job = Objects.requireNonNull(job, "job");
    this.options = options;
  }

  private synchronized void checkNew(String what) {
    if (state != State.NEW) {
      throw new IllegalStateException("cannot " + what + " of " + name + ": it is " + state);
    }
  }

  @Override
  public EngineProcess name(String name) {
    checkNew("set the name");
    this.name = Objects.requireNonNull(name, "name");
    return this;
  }

  @Override
  public EngineProcess daemon(boolean daemon) {
    checkNew("set daemon");
    this.daemon = daemon;
    return this;
  }

  @Override
  public EngineProcess start() {
    ByteString payload;
    synchronized (this) {
      checkNew("start");
      payload = ctx.payloads().encode(new JobTask(job), "the job of " + name);
      state = State.STARTED;
    }
    String jobName = name;
    WorkerProcess w;
    try {
      w = ctx.startWorker(options, started -> new Endpoint(started, jobName, payload));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start " + name, e);
    }
    worker = w;
    int id = w.id();
    w.process().onExit().thenRun(() -> {
      ctx.hub().unregister(id);
      w.closeStdin();
      ctx.objects().sessionEnded(id);
    });
    return this;
  }

  private static final class Endpoint implements WorkerEndpoint {
    private final WorkerProcess worker;
    private final String name;
    private final ByteString payload;

    Endpoint(WorkerProcess worker, String name, ByteString payload) {
      this.worker = worker;
      this.name = name;
      this.payload = payload;
    }

    @Override
    public void connected(Hello hello, StreamObserver<MasterMessage> out) {
      worker.attach(out);
      worker.send(WorkerMessages.becomeProcess(name));
      worker.send(WorkerMessages.onlyTask(payload));
      worker.send(WorkerMessages.SHUTDOWN);
    }

    @Override
    public void results(ResultBatch batch) {
      // the exit status tells how the job ended; its stack trace went to the process's stderr
    }

    @Override
    public void revoked(Revoked revoked) {}

    @Override
    public void disconnected(Throwable cause) {}
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public boolean isDaemon() {
    return daemon;
  }

  @Override
  public long pid() {
    WorkerProcess w = worker;
    return w == null ? -1 : w.pid();
  }

  @Override
  public boolean isAlive() {
    WorkerProcess w = worker;
    return w != null && w.process().isAlive();
  }

  private Process started(String what) {
    WorkerProcess w = worker;
    if (w == null) {
      throw new IllegalStateException("cannot " + what + " " + name + ": it was not started");
    }
    return w.process();
  }

  @Override
  public void join() throws InterruptedException {
    started("join").waitFor();
  }

  @Override
  public boolean join(Duration timeout) throws InterruptedException {
    return started("join").waitFor(timeout.toNanos(), TimeUnit.NANOSECONDS);
  }

  @Override
  public OptionalInt exitCode() {
    WorkerProcess w = worker;
    if (w == null || w.process().isAlive()) {
      return OptionalInt.empty();
    }
    int code = w.process().exitValue();
    return OptionalInt.of(code > 128 && code < 128 + 65 ? -(code - 128) : code);
  }

  @Override
  public void terminate() {
    // through the handle: Process.destroy() would also close the child's stdin, whose end the
    // worker takes for its master's death (exit status 3) and may act on before the signal
    started("terminate").toHandle().destroy();
  }

  @Override
  public void kill() {
    started("kill").destroyForcibly();
  }

  @Override
  public String toString() {
    WorkerProcess w = worker;
    String status = w == null ? "initial" : isAlive() ? "started" : "stopped exitcode=" + exitCode().orElse(0);
    return "<EngineProcess " + name + " pid=" + pid() + " " + status + (daemon ? " daemon" : "") + ">";
  }
}
