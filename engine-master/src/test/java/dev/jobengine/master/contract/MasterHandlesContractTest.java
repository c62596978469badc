package dev.jobengine.master.contract;

import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;

/** Every shared-object contract through the master's own handles. No network. */
class MasterHandlesContractTest
    implements QueueContract, LockContract, EventContract, MapContract, PipeContract {
  private static final AtomicInteger TESTS = new AtomicInteger();
  private final ObjectsFixture fixture = new ObjectsFixture();

  @Override
  public void run(Scenario scenario) throws Exception {
    scenario.run(fixture.local(), "t" + TESTS.incrementAndGet() + "-");
  }

  @AfterEach
  void close() {
    fixture.close();
  }
}
