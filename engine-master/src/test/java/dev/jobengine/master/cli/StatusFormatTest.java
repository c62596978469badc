package dev.jobengine.master.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.jobengine.core.wire.SessionHeader;
import dev.jobengine.proto.ClientStatus;
import dev.jobengine.proto.Holder;
import dev.jobengine.proto.ObjectRef.Kind;
import dev.jobengine.proto.ObjectStatus;
import dev.jobengine.proto.PoolStatus;
import dev.jobengine.proto.StatusReply;
import dev.jobengine.proto.WorkerStatus;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The table and JSON forms of a status reply. */
class StatusFormatTest {
  private static final long CLIENT = SessionHeader.FIRST_CLIENT + 12345;
  private static final long T0 = 1_700_000_000_000L; // 2023-11-14 22:13:20 UTC

  private static StatusReply full() {
    return StatusReply.newBuilder()
        .setDaemonPid(100).setDaemonStartedMillis(T0).setNowMillis(T0 + 3_723_000).setDaemonRssBytes(-1)
        .addWorkers(WorkerStatus.newBuilder().setId(1).setPid(4242).setHost("local").setState("connected")
            .setServes("idle").setTasksDone(0).setTasksRunning(-1).setStartedMillis(T0).setUptimeMillis(65_000)
            .setRssBytes(50L << 20))
        .addWorkers(WorkerStatus.newBuilder().setId(12).setPid(7).setHost("local").setState("starting")
            .setServes("jobengine-1-pool-1").setTasksDone(1234).setTasksRunning(2).setStartedMillis(T0)
            .setUptimeMillis(5_000).setRssBytes(-1).addHolds("lock 'files'"))
        .addPools(PoolStatus.newBuilder().setName("jobengine-1-pool-1").setSize(2).setWorkers(1).setState("RUNNING")
            .setQueued(10).setRunning(2).setDone(1234))
        .addClients(ClientStatus.newBuilder().setSession(CLIENT).setRemoteAddress("127.0.0.1:5555")
            .setConnectedSinceMillis(T0).setConnectedMillis(90_061_000).setWaiting(1)
            .addHolds("queue 'jobs' (2 items read ahead)").addHolds("semaphore 's' (2 permits)"))
        .addObjects(ObjectStatus.newBuilder().setId(1).setKind(Kind.QUEUE).setName("jobs").setSize(0).setItems(3)
            .setWaiters(0).addHolders(Holder.newBuilder().setSession(CLIENT).setCount(2))
            .putAllCounts(Map.of("take_waiters", 0L, "put_waiters", 0L)))
        .addObjects(ObjectStatus.newBuilder().setId(2).setKind(Kind.LOCK).setName("files").setItems(-1).setWaiters(1)
            .addHolders(Holder.newBuilder().setSession(12).setCount(1)))
        .addObjects(ObjectStatus.newBuilder().setId(3).setKind(Kind.EVENT).setName("two\nlines\t\"quoted\"").setItems(-1)
            .putCounts("set", 1))
        .build();
  }

  @Test
  void theTableHasOneSectionPerKindWithAlignedColumns() {
    String table = StatusTable.render(full(), ZoneOffset.UTC);
    assertThat(table).startsWith("jobengine daemon pid 100, up 1h02m, rss -\n");
    List<String> lines = table.lines().toList();
    assertThat(lines).contains("WORKERS (2)", "POOLS (1)", "CLIENTS (1)", "OBJECTS (3)");

    List<String> workers = section(lines, "WORKERS (2)");
    assertThat(workers).hasSize(3);
    assertThat(workers.get(0)).startsWith("WORKER    ").contains("PID").contains("RSS").endsWith("HOLDS");
    assertThat(workers.get(1)).startsWith("worker-1 ").contains(" 4242 ").contains(" idle ").contains("1m05s")
        .contains("50.0 MiB").endsWith(" -");
    assertThat(workers.get(2)).startsWith("worker-12").contains(" 1234 ").endsWith("lock 'files'");
    // right-aligned numbers end under their header; left-aligned text starts under its header
    assertThat(workers.get(1).indexOf("4242") + 4).isEqualTo(workers.get(0).indexOf("PID") + 3);
    assertThat(workers.get(2).indexOf(" 7 ") + 2).isEqualTo(workers.get(0).indexOf("PID") + 3);
    assertThat(workers.get(2).indexOf("starting")).isEqualTo(workers.get(0).indexOf("STATE"));
    assertThat(workers.get(1).indexOf("connected")).isEqualTo(workers.get(0).indexOf("STATE"));
    assertThat(lines).allMatch(l -> !l.endsWith(" "), "no trailing spaces");

    List<String> clients = section(lines, "CLIENTS (1)");
    assertThat(clients.get(1)).contains(Long.toString(CLIENT)).contains("127.0.0.1:5555")
        .contains("2023-11-14 22:13:20").contains("1d01h")
        .endsWith("queue 'jobs' (2 items read ahead), semaphore 's' (2 permits)");

    List<String> objects = section(lines, "OBJECTS (3)");
    assertThat(objects.get(1)).contains("queue").contains("jobs").contains(CLIENT + " (2)")
        .endsWith("put_waiters=0 take_waiters=0");
    assertThat(objects.get(2)).contains("lock").contains("files").contains("worker-12");
    assertThat(objects.get(3)).as("a name with control characters stays on its line")
        .contains("two\\nlines\\t\"quoted\"").endsWith("set=1");
  }

  @Test
  void emptySectionsSayNone() {
    String table = StatusTable.render(StatusReply.newBuilder().setDaemonPid(1).setDaemonRssBytes(2048).build(), ZoneOffset.UTC);
    assertThat(table).isEqualTo("""
        jobengine daemon pid 1, up 0s, rss 2.0 KiB

        WORKERS (0)
          (none)

        POOLS (0)
          (none)

        CLIENTS (0)
          (none)

        OBJECTS (0)
          (none)
        """);
  }

  @Test
  void durationsAndSizes() {
    assertThat(StatusTable.duration(999)).isEqualTo("0s");
    assertThat(StatusTable.duration(59_000)).isEqualTo("59s");
    assertThat(StatusTable.duration(3_599_000)).isEqualTo("59m59s");
    assertThat(StatusTable.duration(86_399_000)).isEqualTo("23h59m");
    assertThat(StatusTable.duration(-1)).isEqualTo("-");
    assertThat(StatusTable.bytes(1023)).isEqualTo("1023 B");
    assertThat(StatusTable.bytes(1536)).isEqualTo("1.5 KiB");
    assertThat(StatusTable.bytes(3L << 30)).isEqualTo("3.0 GiB");
    assertThat(StatusTable.session(0)).isEqualTo("master");
    assertThat(StatusTable.session(3)).isEqualTo("worker-3");
    assertThat(StatusTable.session(CLIENT)).isEqualTo(Long.toString(CLIENT));
  }

  @Test
  void jsonHasTheFourArraysAndNullsForWhatIsUnknown() {
    String json = StatusJson.write(full());
    Map<String, Object> value = StatusJson.toValue(full());
    assertThat(value).containsOnlyKeys("workers", "pools", "clients", "objects");
    assertThat(json).startsWith("{\n  \"workers\": [\n");
    assertThat(json).contains("\"rss_bytes\": 52428800", "\"rss_bytes\": null", "\"tasks_running\": null",
        "\"tasks_running\": 2", "\"client_session\": null", "\"kind\": \"queue\"", "\"items\": null",
        "\"session\": " + CLIENT, "\"name\": \"two\\nlines\\t\\\"quoted\\\"\"");
    assertThat(json).contains("      \"counts\": {\n        \"put_waiters\": 0,\n        \"take_waiters\": 0\n      }");
    assertThat(StatusJson.write(StatusReply.getDefaultInstance())).isEqualTo("""
        {
          "workers": [],
          "pools": [],
          "clients": [],
          "objects": []
        }""");
  }

  /** The lines of a section: its table's header and rows, up to the blank line after it. */
  private static List<String> section(List<String> lines, String title) {
    int start = lines.indexOf(title) + 1;
    int end = start;
    while (end < lines.size() && !lines.get(end).isEmpty()) {
      end++;
    }
    return lines.subList(start, end);
  }
}
