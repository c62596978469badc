package dev.jobengine.master.internal;

import dev.jobengine.internal.wire.Payloads;
import java.time.Duration;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.atomic.AtomicInteger;

/** What a pool takes from its engine. */
record PoolContext(
    Payloads payloads,
    WorkerLauncher launcher,
    HubGrpcService hub,
    ScheduledExecutorService timer,
    AtomicInteger workerIds,
    Duration shutdownTimeout,
    ObjectRegistry objects) {}
