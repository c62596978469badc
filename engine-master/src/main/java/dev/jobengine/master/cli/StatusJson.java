package dev.jobengine.master.cli;

import dev.jobengine.core.objects.SharedObjects;
import dev.jobengine.proto.ClientStatus;
import dev.jobengine.proto.Holder;
import dev.jobengine.proto.ObjectStatus;
import dev.jobengine.proto.PoolStatus;
import dev.jobengine.proto.StatusReply;
import dev.jobengine.proto.WorkerStatus;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;

/**
 * {@code jobengine status --json}: one object with the keys {@code workers}, {@code pools}, {@code
 * clients} and {@code objects}, each an array of objects whose keys are the status messages' field
 * names. Numbers are JSON numbers; a value the daemon does not know (a worker's memory, say) is
 * null, and so is a client session where there is none.
 */
final class StatusJson {
  private StatusJson() {}

  static String write(StatusReply reply) {
    return JsonWriter.write(toValue(reply));
  }

  static Map<String, Object> toValue(StatusReply reply) {
    Map<String, Object> root = new LinkedHashMap<>();
    root.put("workers", map(reply.getWorkersList(), StatusJson::worker));
    root.put("pools", map(reply.getPoolsList(), StatusJson::pool));
    root.put("clients", map(reply.getClientsList(), StatusJson::client));
    root.put("objects", map(reply.getObjectsList(), StatusJson::object));
    return root;
  }

  private static Map<String, Object> worker(WorkerStatus w) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("id", w.getId());
    m.put("pid", w.getPid());
    m.put("host", w.getHost());
    m.put("state", w.getState());
    m.put("serves", w.getServes());
    m.put("client_session", session(w.getClientSession()));
    m.put("tasks_done", w.getTasksDone());
    m.put("tasks_running", known(w.getTasksRunning()));
    m.put("started_millis", w.getStartedMillis());
    m.put("uptime_millis", w.getUptimeMillis());
    m.put("rss_bytes", known(w.getRssBytes()));
    m.put("holds", List.copyOf(w.getHoldsList()));
    return m;
  }

  private static Map<String, Object> pool(PoolStatus p) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("name", p.getName());
    m.put("client_session", session(p.getClientSession()));
    m.put("size", p.getSize());
    m.put("workers", p.getWorkers());
    m.put("state", p.getState());
    m.put("queued", p.getQueued());
    m.put("running", p.getRunning());
    m.put("done", p.getDone());
    return m;
  }

  private static Map<String, Object> client(ClientStatus c) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("session", c.getSession());
    m.put("remote_address", c.getRemoteAddress());
    m.put("connected_since_millis", c.getConnectedSinceMillis());
    m.put("connected_millis", c.getConnectedMillis());
    m.put("waiting", c.getWaiting());
    m.put("holds", List.copyOf(c.getHoldsList()));
    return m;
  }

  private static Map<String, Object> object(ObjectStatus o) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("id", o.getId());
    m.put("kind", SharedObjects.describe(o.getKind()));
    m.put("name", o.getName());
    m.put("size", o.getSize());
    m.put("items", known(o.getItems()));
    m.put("waiters", o.getWaiters());
    List<Object> holders = new ArrayList<>();
    for (Holder h : o.getHoldersList()) {
      Map<String, Object> holder = new LinkedHashMap<>();
      holder.put("session", h.getSession());
      holder.put("count", h.getCount());
      holders.add(holder);
    }
    m.put("holders", holders);
    m.put("counts", new TreeMap<String, Object>(o.getCountsMap()));
    return m;
  }

  private static <T> List<Object> map(List<T> items, Function<T, Object> f) {
    List<Object> out = new ArrayList<>(items.size());
    items.forEach(item -> out.add(f.apply(item)));
    return out;
  }

  /** Null for -1, the daemon's "unknown". */
  private static Long known(long value) {
    return value < 0 ? null : value;
  }

  /** Null for 0, "no client". */
  private static Long session(long session) {
    return session == 0 ? null : session;
  }
}
