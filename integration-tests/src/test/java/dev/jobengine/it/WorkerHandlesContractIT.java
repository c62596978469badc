package dev.jobengine.it;

import dev.jobengine.Engine;
import dev.jobengine.Pool;
import dev.jobengine.master.contract.EventContract;
import dev.jobengine.master.contract.LockContract;
import dev.jobengine.master.contract.MapContract;
import dev.jobengine.master.contract.PipeContract;
import dev.jobengine.master.contract.QueueContract;
import dev.jobengine.master.contract.Scenario;
import dev.jobengine.test.JobEngineExtension;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Every shared-object contract from inside a forked worker JVM: the scenario travels as a task and
 * runs against the worker's own handles; a failed assertion comes back as the task's failure.
 */
@ExtendWith(JobEngineExtension.class)
@Timeout(120)
class WorkerHandlesContractIT
    implements QueueContract, LockContract, EventContract, MapContract, PipeContract {
  private static final AtomicInteger TESTS = new AtomicInteger();
  private Engine engine;
  private Pool pool;

  @BeforeEach
  void start() {
    pool = engine.pool(1);
  }

  @Override
  public void run(Scenario scenario) throws Exception {
    String prefix = "t" + TESTS.incrementAndGet() + "-";
    long master = ProcessHandle.current().pid();
    pool.apply(() -> {
      if (ProcessHandle.current().pid() == master) {
        throw new AssertionError("the scenario must run in a worker");
      }
      scenario.run(Engine.current(), prefix);
      return null;
    });
  }
}
