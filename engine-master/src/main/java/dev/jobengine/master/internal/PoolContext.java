package dev.jobengine.master.internal;

import dev.jobengine.PoolOptions;
import dev.jobengine.internal.wire.Payloads;
import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

/** What a pool or a process takes from its engine. */
record PoolContext(
    Payloads payloads,
    WorkerLauncher launcher,
    HubGrpcService hub,
    ScheduledExecutorService timer,
    AtomicInteger workerIds,
    Duration shutdownTimeout,
    ObjectRegistry objects,
    StandbyWorkers standby) {

  /**
   * A worker JVM for {@code options}, whose stream goes to the endpoint made for it: a standby one
   * if one fits, else one started now.
   */
  WorkerProcess startWorker(PoolOptions options, Function<WorkerProcess, WorkerEndpoint> endpoint) throws IOException {
    StandbyWorkers.Standby s = standby.take(options);
    if (s != null) {
      s.adopt(endpoint.apply(s.worker()));
      return s.worker();
    }
    int id = workerIds.incrementAndGet();
    WorkerLauncher.Started started = launcher.launch(options, id, false);
    WorkerProcess w = new WorkerProcess(id, started.process(), started.stdin());
    hub.register(id, endpoint.apply(w));
    return w;
  }
}
