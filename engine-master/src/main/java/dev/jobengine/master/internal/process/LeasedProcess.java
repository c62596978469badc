package dev.jobengine.master.internal.process;

import dev.jobengine.PoolOptions;
import dev.jobengine.master.internal.supervisor.SupervisedWorker;
import dev.jobengine.master.internal.supervisor.WorkerSupervisor;
import dev.jobengine.proto.Artifact;
import dev.jobengine.proto.ProcessEvent;
import dev.jobengine.proto.ProcessRequest;
import dev.jobengine.proto.Serve;
import dev.jobengine.proto.StartProcess;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;
import java.time.Duration;
import java.util.List;
import java.util.function.BooleanSupplier;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A daemon's side of a client's process (one Leases.Process stream): a worker of the fleet (a warm
 * one if any is idle) serves it as a lease, becomes the process, runs the client's encoded job and
 * exits; its pid and exit status go back to the client. A client that goes away takes its running
 * process with it (killed).
 */
public final class LeasedProcess implements StreamObserver<ProcessRequest> {
  private static final Logger log = LoggerFactory.getLogger(LeasedProcess.class);

  private final WorkerSupervisor supervisor;
  private final Predicate<List<Artifact>> stored;
  private final BooleanSupplier accepting;
  private final long session;
  private final ServerCallStreamObserver<ProcessEvent> out;
  private volatile SupervisedWorker worker;
  private volatile boolean started;

  private LeasedProcess(WorkerSupervisor supervisor, Predicate<List<Artifact>> stored,
      BooleanSupplier accepting, long session, ServerCallStreamObserver<ProcessEvent> out) {
    this.supervisor = supervisor;
    this.stored = stored;
    this.accepting = accepting;
    this.session = session;
    this.out = out;
    out.setOnCancelHandler(this::clientGone);
  }

  /** Takes a new Leases.Process stream of client {@code session}. */
  public static StreamObserver<ProcessRequest> accept(WorkerSupervisor supervisor, Predicate<List<Artifact>> stored,
      BooleanSupplier accepting, long session, StreamObserver<ProcessEvent> out) {
    return new LeasedProcess(supervisor, stored, accepting, session, (ServerCallStreamObserver<ProcessEvent>) out);
  }

  private void send(ProcessEvent e, boolean last) {
    synchronized (out) {
      try {
        out.onNext(e);
        if (last) {
          out.onCompleted();
        }
      } catch (RuntimeException closed) {
        log.debug("the client's process stream is closed", closed);
      }
    }
  }

  @Override
  public void onNext(ProcessRequest r) {
    switch (r.getKindCase()) {
      case START -> start(r.getStart());
      case TERMINATE -> {
        SupervisedWorker w = worker;
        if (w != null) {
          w.process().destroy();
        }
      }
      case KILL -> {
        SupervisedWorker w = worker;
        if (w != null) {
          w.kill();
        }
      }
      default -> log.debug("ignoring process request {}", r.getKindCase());
    }
  }

  private void start(StartProcess s) {
    if (started) {
      send(ProcessEvent.newBuilder().setRefused("the process was started already").build(), false);
      return;
    }
    started = true;
    if (!accepting.getAsBoolean()) {
      send(ProcessEvent.newBuilder().setRefused("the daemon is shutting down: it starts no new processes").build(), true);
      return;
    }
    if (!stored.test(s.getClassPathList())) {
      send(ProcessEvent.newBuilder().setRefused("the process's code is not all in the daemon's store").build(), true);
      return;
    }
    PoolOptions.Builder options = PoolOptions.builder();
    if (s.getStartupTimeoutNanos() > 0) {
      options.startupTimeout(Duration.ofNanos(s.getStartupTimeoutNanos()));
    }
    Serve serve = Serve.newBuilder().setLease(s.getName()).addAllClassPath(s.getClassPathList()).build();
    JobOwner owner = new JobOwner(s.getName(), serve, s.getPayload(), w -> send(ProcessEvent.newBuilder()
        .setExited(ProcessImpl.exitCodeOf(w.process().exitValue())).build(), true));
    supervisor.start(options.build(), owner).whenComplete((w, e) -> {
      if (e != null) {
        send(ProcessEvent.newBuilder().setRefused("cannot start " + s.getName() + ": " + e.getMessage()).build(), true);
        return;
      }
      worker = w;
      log.info("{} of client {} runs on {}", s.getName(), session, w);
      send(ProcessEvent.newBuilder().setStarted(w.pid()).build(), false);
    });
  }

  private void clientGone() {
    SupervisedWorker w = worker;
    if (w != null && w.process().isAlive()) {
      log.info("the client {} of {} went away; killing it", session, w);
      w.kill("its client went away");
    }
  }

  @Override
  public void onError(Throwable t) {
    clientGone();
  }

  @Override
  public void onCompleted() {
    // the client has nothing more to ask
  }
}
