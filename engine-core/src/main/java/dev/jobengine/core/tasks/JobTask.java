package dev.jobengine.core.tasks;

import dev.jobengine.Job;
import dev.jobengine.Task;

/** An EngineProcess's job, sent to its worker JVM as a task. */
public final class JobTask implements Task<Object> {
  private static final long serialVersionUID = 1L;

  private final Job job;

  public JobTask(Job job) {
    this.job = job;
  }

  @Override
  public Object call() throws Exception {
    job.run();
    return null;
  }
}
