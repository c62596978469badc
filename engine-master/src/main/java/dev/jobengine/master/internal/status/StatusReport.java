package dev.jobengine.master.internal.status;

import dev.jobengine.core.objects.SharedObjects;
import dev.jobengine.core.wire.SessionHeader;
import dev.jobengine.master.internal.hub.ObjectsGrpcService;
import dev.jobengine.master.internal.objects.ObjectRegistry;
import dev.jobengine.master.internal.objects.state.BarrierState;
import dev.jobengine.master.internal.objects.state.EventState;
import dev.jobengine.master.internal.objects.state.ListState;
import dev.jobengine.master.internal.objects.state.LockState;
import dev.jobengine.master.internal.objects.state.MapState;
import dev.jobengine.master.internal.objects.state.PipeState;
import dev.jobengine.master.internal.objects.state.QueueState;
import dev.jobengine.master.internal.objects.state.SemaphoreState;
import dev.jobengine.master.internal.objects.state.Summary;
import dev.jobengine.master.internal.pool.LeasedPool;
import dev.jobengine.master.internal.pool.PoolImpl;
import dev.jobengine.master.internal.pool.PoolStats;
import dev.jobengine.master.internal.supervisor.SupervisedWorker;
import dev.jobengine.master.internal.supervisor.WorkerSupervisor;
import dev.jobengine.proto.ClientStatus;
import dev.jobengine.proto.Holder;
import dev.jobengine.proto.ObjectRef.Kind;
import dev.jobengine.proto.ObjectStatus;
import dev.jobengine.proto.PoolStatus;
import dev.jobengine.proto.StatusReply;
import dev.jobengine.proto.WorkerStatus;
import java.io.BufferedReader;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Makes a {@link StatusReply} from the engine as it is now: its workers, its pools, its clients'
 * open connections and its shared objects. Each part is read the way it is written (each shared
 * object under its own monitor, in one step); the parts are not one snapshot of the whole engine.
 */
public final class StatusReport {
  /** Workers the engine forked run on its own machine. */
  static final String LOCAL = "local";

  private final WorkerSupervisor supervisor;
  private final List<PoolImpl> pools;
  private final java.util.function.Supplier<List<LeasedPool>> leased;
  private final ObjectsGrpcService sessions;
  private final ObjectRegistry registry;
  private final long startedMillis = System.currentTimeMillis();

  /** {@code pools}: the engine's pools, a live list. */
  public StatusReport(WorkerSupervisor supervisor, List<PoolImpl> pools, java.util.function.Supplier<List<LeasedPool>> leased,
      ObjectsGrpcService sessions,
      ObjectRegistry registry) {
    this.supervisor = supervisor;
    this.pools = pools;
    this.leased = leased;
    this.sessions = sessions;
    this.registry = registry;
  }

  public StatusReply build() {
    StatusReply.Builder reply = StatusReply.newBuilder();
    Map<Long, List<String>> holds = new HashMap<>();
    for (ObjectRegistry.Entry e : registry.entries()) {
      reply.addObjects(object(e, holds));
    }
    long now = System.currentTimeMillis();
    List<LeasedPool> clientPools = leased.get();
    Map<String, Long> clientOf = new HashMap<>();
    for (LeasedPool p : clientPools) {
      if (p.name() != null) {
        clientOf.put(p.name(), p.session());
      }
    }
    List<SupervisedWorker> workers = new ArrayList<>(supervisor.liveWorkers());
    workers.sort(Comparator.comparingInt(SupervisedWorker::id));
    for (SupervisedWorker w : workers) {
      reply.addWorkers(WorkerStatus.newBuilder()
          .setId(w.id())
          .setPid(w.pid())
          .setHost(w.host())
          .setClientSession(clientOf.getOrDefault(w.serves(), 0L))
          .setState(!w.connected() ? "starting" : w.retiring() ? "retiring" : "connected")
          .setServes(w.serves())
          .setTasksDone(w.tasksDone())
          .setTasksRunning(w.tasksOn())
          .setStartedMillis(w.startedMillis())
          .setUptimeMillis(w.uptime().toMillis())
          .setRssBytes(rssBytes(w.pid()))
          .addAllHolds(holds.getOrDefault((long) w.id(), List.of())));
    }
    for (PoolImpl pool : pools) {
      PoolStats p = pool.stats();
      if (!p.state().equals("RUNNING") && p.workers() == 0 && p.queued() == 0 && p.running() == 0) {
        continue; // ended: closed or terminated, and no worker left
      }
      reply.addPools(poolStatus(p));
    }
    for (LeasedPool lp : clientPools) {
      PoolStats p = lp.stats();
      if (p != null) {
        reply.addPools(poolStatus(p).setClientSession(lp.session()));
      }
    }
    List<ObjectsGrpcService.OpenSession> open = new ArrayList<>(sessions.openSessions());
    open.sort(Comparator.comparingLong(ObjectsGrpcService.OpenSession::openedMillis));
    for (ObjectsGrpcService.OpenSession s : open) {
      if (SessionHeader.isClient(s.session())) {
        reply.addClients(ClientStatus.newBuilder()
            .setSession(s.session())
            .setRemoteAddress(address(s.remoteAddress()))
            .setConnectedSinceMillis(s.openedMillis())
            .setConnectedMillis(Math.max(0, now - s.openedMillis()))
            .setWaiting(s.waiting())
            .addAllHolds(holds.getOrDefault(s.session(), List.of())));
      }
    }
    long self = ProcessHandle.current().pid();
    return reply.setDaemonPid(self)
        .setDaemonStartedMillis(startedMillis)
        .setNowMillis(now)
        .setDaemonRssBytes(rssBytes(self))
        .build();
  }

  /** One object's status; what each session holds of it goes into {@code holds}. */
  private static ObjectStatus object(ObjectRegistry.Entry e, Map<Long, List<String>> holds) {
    Summary s = summary(e.state());
    ObjectStatus.Builder b = ObjectStatus.newBuilder()
        .setId(e.id())
        .setKind(e.kind())
        .setName(e.name())
        .setSize(e.size())
        .setItems(s.items())
        .setWaiters(s.waiters())
        .putAllCounts(s.counts());
    s.holders().forEach((session, count) -> {
      b.addHolders(Holder.newBuilder().setSession(session).setCount(count));
      holds.computeIfAbsent(session, k -> new ArrayList<>()).add(holding(e.kind(), e.name(), count));
    });
    return b.build();
  }

  private static Summary summary(Object state) {
    if (state instanceof QueueState q) {
      return q.summary();
    } else if (state instanceof LockState l) {
      return l.summary();
    } else if (state instanceof SemaphoreState s) {
      return s.summary();
    } else if (state instanceof EventState ev) {
      return ev.summary();
    } else if (state instanceof BarrierState b) {
      return b.summary();
    } else if (state instanceof MapState m) {
      return m.summary();
    } else if (state instanceof ListState l) {
      return l.summary();
    } else if (state instanceof PipeState p) {
      return p.summary();
    }
    throw new IllegalStateException("no summary for " + state.getClass().getName());
  }

  /** What a session holds of an object, in words: {@code lock 'files'}, {@code semaphore 'slots' (2 permits)}. */
  static String holding(Kind kind, String name, long count) {
    String what = SharedObjects.describe(kind) + " '" + name + "'";
    return switch (kind) {
      case LOCK, RLOCK -> count > 1 ? what + " (" + count + " holds)" : what;
      case SEMAPHORE, BOUNDED_SEMAPHORE -> what + " (" + plural(count, "permit") + ")";
      case JOINABLE_QUEUE -> what + " (" + plural(count, "item") + " taken, not done)";
      case QUEUE -> what + " (" + plural(count, "item") + " read ahead)";
      case PIPE -> what + " (" + plural(count, "end") + ")";
      default -> count > 1 ? what + " (" + count + ")" : what;
    };
  }

  private static String plural(long n, String noun) {
    return n + " " + noun + (n == 1 ? "" : "s");
  }

  private static String address(SocketAddress a) {
    if (a instanceof InetSocketAddress inet && inet.getAddress() != null) {
      String host = inet.getAddress().getHostAddress();
      return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + inet.getPort();
    }
    return a == null ? "" : a.toString();
  }

  /** Resident memory of a process on this machine (VmRSS in /proc/PID/status), or -1 where unreadable. */
  static long rssBytes(long pid) {
    try (BufferedReader r = Files.newBufferedReader(Path.of("/proc", Long.toString(pid), "status"), StandardCharsets.UTF_8)) {
      String line;
      while ((line = r.readLine()) != null) {
        if (line.startsWith("VmRSS:")) {
          return parseKb(line.substring("VmRSS:".length()));
        }
      }
    } catch (IOException | RuntimeException e) {
      // gone, not Linux, or not ours to read
    }
    return -1;
  }

  /** {@code "   1234 kB"} in bytes; -1 if it is not that. */
  static long parseKb(String value) {
    String v = value.trim();
    if (!v.endsWith("kB")) {
      return -1;
    }
    try {
      return Long.parseLong(v.substring(0, v.length() - 2).trim()) * 1024;
    } catch (NumberFormatException e) {
      return -1;
    }
  }

  private static PoolStatus.Builder poolStatus(PoolStats p) {
    return PoolStatus.newBuilder()
        .setName(p.name())
        .setSize(p.size())
        .setWorkers(p.workers())
        .setState(p.state())
        .setQueued(p.queued())
        .setRunning(p.running())
        .setDone(p.done());
  }
}
