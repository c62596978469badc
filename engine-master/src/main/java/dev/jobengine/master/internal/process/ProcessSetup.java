package dev.jobengine.master.internal.process;

import com.google.protobuf.ByteString;
import dev.jobengine.EngineProcess;
import dev.jobengine.Job;
import dev.jobengine.PoolOptions;
import dev.jobengine.core.tasks.JobTask;
import dev.jobengine.core.wire.Payloads;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * What every {@link EngineProcess} has before it starts: its job, options, name ({@code
 * Process-N} unless set) and daemon flag, which may change only until {@code start()}; and the job
 * encoded once, in the starting thread, so a job that cannot be serialized fails there.
 */
abstract class ProcessSetup implements EngineProcess {
  private static final AtomicInteger NAMES = new AtomicInteger();

  protected final Payloads payloads;
  protected final Job job;
  protected final PoolOptions options;
  protected String name = "Process-" + NAMES.incrementAndGet();
  protected boolean daemon;
  private boolean started; // guarded by this

  ProcessSetup(Payloads payloads, Job job, PoolOptions options) {
    this.payloads = payloads;
    this.job = Objects.requireNonNull(job, "job");
    this.options = options;
  }

  private synchronized void checkNew(String what) {
    if (started) {
      throw new IllegalStateException("cannot " + what + " of " + name + ": it was started");
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
  public String name() {
    return name;
  }

  @Override
  public boolean isDaemon() {
    return daemon;
  }

  /** The job, encoded; from now on the process counts as started. Throws IllegalStateException on a second start. */
  protected final synchronized ByteString beginStart() {
    checkNew("start");
    ByteString payload = payloads.encode(new JobTask(job), "the job of " + name);
    started = true;
    return payload;
  }
}
