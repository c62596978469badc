package dev.jobengine.master.cli;

import dev.jobengine.core.objects.SharedObjects;
import dev.jobengine.core.wire.SessionHeader;
import dev.jobengine.proto.ClientStatus;
import dev.jobengine.proto.Holder;
import dev.jobengine.proto.ObjectStatus;
import dev.jobengine.proto.PoolStatus;
import dev.jobengine.proto.StatusReply;
import dev.jobengine.proto.WorkerStatus;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.StringJoiner;
import java.util.TreeMap;

/**
 * {@code jobengine status} as text: a line about the daemon, then one section per kind of entry
 * (workers, pools, clients, shared objects), each a heading with the count and a table with
 * aligned columns, or "(none)". Unknown values are "-". A session is shown as {@code worker-N} for
 * a worker's, as its number for a client's (the number the clients section lists), and as {@code
 * master} for the engine's own.
 */
final class StatusTable {
  private static final DateTimeFormatter SINCE = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss", Locale.ROOT);

  private StatusTable() {}

  static String render(StatusReply reply, ZoneId zone) {
    StringBuilder out = new StringBuilder();
    out.append("jobengine daemon pid ").append(reply.getDaemonPid())
        .append(", up ").append(duration(reply.getNowMillis() - reply.getDaemonStartedMillis()))
        .append(", rss ").append(bytes(reply.getDaemonRssBytes())).append('\n');

    TextTable workers = new TextTable()
        .column("WORKER").column("PID", true).column("HOST").column("STATE").column("SERVES").column("CLIENT")
        .column("DONE", true).column("RUNNING", true).column("UPTIME", true).column("RSS", true).column("HOLDS");
    for (WorkerStatus w : reply.getWorkersList()) {
      workers.row("worker-" + w.getId(), w.getPid(), w.getHost(), w.getState(), w.getServes(),
          client(w.getClientSession()), w.getTasksDone(), known(w.getTasksRunning()), duration(w.getUptimeMillis()),
          bytes(w.getRssBytes()), list(w.getHoldsList()));
    }
    section(out, "WORKERS", reply.getWorkersCount(), workers);

    TextTable pools = new TextTable()
        .column("POOL").column("CLIENT").column("STATE").column("WORKERS", true).column("SIZE", true)
        .column("QUEUED", true).column("RUNNING", true).column("DONE", true);
    for (PoolStatus p : reply.getPoolsList()) {
      pools.row(p.getName(), client(p.getClientSession()), p.getState(), p.getWorkers(), p.getSize(), p.getQueued(),
          p.getRunning(), p.getDone());
    }
    section(out, "POOLS", reply.getPoolsCount(), pools);

    TextTable clients = new TextTable()
        .column("SESSION", true).column("ADDRESS").column("CONNECTED SINCE").column("FOR", true)
        .column("WAITING", true).column("HOLDS");
    for (ClientStatus c : reply.getClientsList()) {
      clients.row(c.getSession(), c.getRemoteAddress().isEmpty() ? null : c.getRemoteAddress(),
          since(c.getConnectedSinceMillis(), zone), duration(c.getConnectedMillis()), c.getWaiting(),
          list(c.getHoldsList()));
    }
    section(out, "CLIENTS", reply.getClientsCount(), clients);

    TextTable objects = new TextTable()
        .column("ID", true).column("KIND").column("NAME").column("SIZE", true).column("ITEMS", true)
        .column("WAITERS", true).column("HOLDERS").column("OTHER");
    for (ObjectStatus o : reply.getObjectsList()) {
      objects.row(o.getId(), SharedObjects.describe(o.getKind()), o.getName(), o.getSize() == 0 ? null : o.getSize(),
          known(o.getItems()), o.getWaiters(), holders(o.getHoldersList()), counts(o.getCountsMap()));
    }
    section(out, "OBJECTS", reply.getObjectsCount(), objects);
    return out.toString();
  }

  private static void section(StringBuilder out, String title, int count, TextTable table) {
    out.append('\n').append(title).append(" (").append(count).append(")\n");
    out.append(table.isEmpty() ? "  (none)\n" : table.render());
  }

  /** A session as the table shows it: {@code worker-N}, a client's number, or {@code master} (the engine's own). */
  static String session(long session) {
    if (session == 0) {
      return "master";
    }
    return SessionHeader.isClient(session) || session < 0 ? Long.toString(session) : "worker-" + session;
  }

  private static String client(long session) {
    return session == 0 ? null : Long.toString(session);
  }

  private static String holders(List<Holder> holders) {
    if (holders.isEmpty()) {
      return null;
    }
    StringJoiner j = new StringJoiner(", ");
    for (Holder h : holders) {
      j.add(session(h.getSession()) + (h.getCount() == 1 ? "" : " (" + h.getCount() + ")"));
    }
    return j.toString();
  }

  private static String counts(Map<String, Long> counts) {
    if (counts.isEmpty()) {
      return null;
    }
    StringJoiner j = new StringJoiner(" ");
    new TreeMap<>(counts).forEach((k, v) -> j.add(k + "=" + v));
    return j.toString();
  }

  private static String list(List<String> items) {
    return items.isEmpty() ? null : String.join(", ", items);
  }

  private static Long known(long value) {
    return value < 0 ? null : value;
  }

  private static String since(long millis, ZoneId zone) {
    return millis <= 0 ? null : SINCE.format(Instant.ofEpochMilli(millis).atZone(zone));
  }

  /** {@code 45s}, {@code 5m12s}, {@code 3h05m}, {@code 2d03h}; "-" for a negative one. */
  static String duration(long millis) {
    if (millis < 0) {
      return "-";
    }
    long s = millis / 1000;
    if (s < 60) {
      return s + "s";
    }
    if (s < 3600) {
      return String.format(Locale.ROOT, "%dm%02ds", s / 60, s % 60);
    }
    if (s < 86400) {
      return String.format(Locale.ROOT, "%dh%02dm", s / 3600, s % 3600 / 60);
    }
    return String.format(Locale.ROOT, "%dd%02dh", s / 86400, s % 86400 / 3600);
  }

  /** {@code 512 B}, {@code 41.3 MiB}; "-" for an unknown (negative) size. */
  static String bytes(long n) {
    if (n < 0) {
      return "-";
    }
    if (n < 1024) {
      return n + " B";
    }
    String[] units = {"KiB", "MiB", "GiB", "TiB"};
    double v = n / 1024.0;
    int u = 0;
    while (v >= 1024 && u < units.length - 1) {
      v /= 1024;
      u++;
    }
    return String.format(Locale.ROOT, "%.1f %s", v, units[u]);
  }
}
