package dev.jobengine.master.contract;

import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;

/**
 * Every shared-object contract as a worker reaches the objects (its RemoteObjectAccess and
 * read-ahead, the real ObjectsGrpcService), over grpc-java's in-process transport.
 */
class InProcessGrpcContractTest
    implements QueueContract, LockContract, EventContract, MapContract, PipeContract {
  private static final AtomicInteger TESTS = new AtomicInteger();
  private final ObjectsFixture fixture = new ObjectsFixture();

  @Override
  public void run(Scenario scenario) throws Exception {
    scenario.run(fixture.remote(1), "t" + TESTS.incrementAndGet() + "-");
  }

  @AfterEach
  void close() {
    fixture.close();
  }
}
