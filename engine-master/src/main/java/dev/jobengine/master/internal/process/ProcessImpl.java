package dev.jobengine.master.internal.process;

import com.google.protobuf.ByteString;
import dev.jobengine.EngineProcess;
import dev.jobengine.Job;
import dev.jobengine.JobEngineException;
import dev.jobengine.PoolOptions;
import dev.jobengine.core.wire.Payloads;
import dev.jobengine.master.internal.supervisor.SupervisedWorker;
import dev.jobengine.master.internal.supervisor.WorkerSupervisor;
import dev.jobengine.proto.Serve;
import java.time.Duration;
import java.util.OptionalInt;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Python's {@code Process}: one job in a JVM of its own. The JVM is a worker told, once connected,
 * to become a process: it receives the job, runs it, and exits with 0, or 1 if the job threw (its
 * stack trace goes to the process's stderr). Exit codes of processes killed by a signal N are
 * reported as -N.
 */
public final class ProcessImpl extends ProcessSetup {
  private final WorkerSupervisor supervisor;
  private final java.util.List<ClassLoader> loaders;
  private volatile SupervisedWorker worker;

  public ProcessImpl(WorkerSupervisor supervisor, Payloads payloads, Job job, PoolOptions options,
      java.util.List<ClassLoader> loaders) {
    super(payloads, job, options);
    this.supervisor = supervisor;
    this.loaders = loaders;
  }

  @Override
  public EngineProcess start() {
    ByteString payload = beginStart();
    try {
      Serve serve = supervisor.serve(name, options, loaders);
      worker = supervisor.start(options, new JobOwner(name, serve, payload, w -> supervisor.servedClasses().remove(name)))
          .get(options.startupTimeout().toMillis(), TimeUnit.MILLISECONDS);
    } catch (ExecutionException e) {
      throw new JobEngineException("cannot start " + name + ": " + e.getCause().getMessage(), e.getCause());
    } catch (TimeoutException e) {
      throw new JobEngineException("cannot start " + name + ": its JVM was not started within " + options.startupTimeout(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new JobEngineException("interrupted while starting " + name, e);
    }
    return this;
  }

  @Override
  public long pid() {
    SupervisedWorker w = worker;
    return w == null ? -1 : w.pid();
  }

  @Override
  public boolean isAlive() {
    SupervisedWorker w = worker;
    return w != null && w.process().isAlive();
  }

  private Process started(String what) {
    SupervisedWorker w = worker;
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
    SupervisedWorker w = worker;
    if (w == null || w.process().isAlive()) {
      return OptionalInt.empty();
    }
    return OptionalInt.of(exitCodeOf(w.process().exitValue()));
  }

  /** A process's exit code as Python reports it: -N for one killed by signal N. */
  static int exitCodeOf(int status) {
    return status > 128 && status < 128 + 65 ? -(status - 128) : status;
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
    SupervisedWorker w = worker;
    String status = w == null ? "initial" : isAlive() ? "started" : "stopped exitcode=" + exitCode().orElse(0);
    return "<EngineProcess " + name + " pid=" + pid() + " " + status + (daemon ? " daemon" : "") + ">";
  }
}
