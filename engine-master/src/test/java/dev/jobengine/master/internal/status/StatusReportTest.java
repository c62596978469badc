package dev.jobengine.master.internal.status;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import dev.jobengine.EngineOptions;
import dev.jobengine.SharedLock;
import dev.jobengine.SharedQueue;
import dev.jobengine.SharedSemaphore;
import dev.jobengine.master.internal.EngineImpl;
import dev.jobengine.proto.Holder;
import dev.jobengine.proto.ObjectRef.Kind;
import dev.jobengine.proto.ObjectStatus;
import dev.jobengine.proto.StatusReply;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** A status report of an embedded engine with shared objects and no workers. */
class StatusReportTest {
  @Test
  void reportsTheObjectsAndWhoHoldsThem() throws Exception {
    try (EngineImpl engine = EngineImpl.start(EngineOptions.defaults())) {
      SharedQueue<String> queue = engine.queue("jobs", 10);
      queue.put("a");
      queue.put("b");
      SharedLock lock = engine.lock("files");
      assertThat(lock.acquire(Duration.ZERO)).isTrue();
      SharedSemaphore slots = engine.semaphore("slots", 3);
      slots.acquire();
      engine.event("ready");

      StatusReply reply = engine.status();
      assertThat(reply.getWorkersList()).isEmpty();
      assertThat(reply.getPoolsList()).isEmpty();
      assertThat(reply.getClientsList()).as("the master's own calls are no client's").isEmpty();
      assertThat(reply.getDaemonPid()).isEqualTo(ProcessHandle.current().pid());
      assertThat(reply.getNowMillis()).isGreaterThanOrEqualTo(reply.getDaemonStartedMillis());
      assertThat(reply.getObjectsList()).extracting(ObjectStatus::getName).containsExactly("jobs", "files", "slots", "ready");

      ObjectStatus q = reply.getObjects(0);
      assertThat(q.getKind()).isEqualTo(Kind.QUEUE);
      assertThat(q.getSize()).isEqualTo(10);
      assertThat(q.getItems()).isEqualTo(2);
      ObjectStatus l = reply.getObjects(1);
      assertThat(l.getHoldersList()).extracting(Holder::getSession, Holder::getCount)
          .containsExactly(tuple(0L, 1L));
      ObjectStatus s = reply.getObjects(2);
      assertThat(s.getCountsMap()).containsEntry("available", 2L);
      assertThat(reply.getObjects(3).getCountsMap()).containsEntry("set", 0L);
      lock.release();
      assertThat(engine.status().getObjects(1).getHoldersList()).isEmpty();
    }
  }

  @Test
  void holdingsInWords() {
    assertThat(StatusReport.holding(Kind.LOCK, "files", 1)).isEqualTo("lock 'files'");
    assertThat(StatusReport.holding(Kind.RLOCK, "files", 3)).isEqualTo("rlock 'files' (3 holds)");
    assertThat(StatusReport.holding(Kind.SEMAPHORE, "slots", 1)).isEqualTo("semaphore 'slots' (1 permit)");
    assertThat(StatusReport.holding(Kind.JOINABLE_QUEUE, "q", 2)).isEqualTo("joinable_queue 'q' (2 items taken, not done)");
    assertThat(StatusReport.holding(Kind.PIPE, "p", 2)).isEqualTo("pipe 'p' (2 ends)");
  }

  @Test
  void residentMemoryComesFromProc() {
    assertThat(StatusReport.parseKb("    1234 kB")).isEqualTo(1234 * 1024L);
    assertThat(StatusReport.parseKb("1234")).isEqualTo(-1);
    assertThat(StatusReport.parseKb("x kB")).isEqualTo(-1);
    assertThat(StatusReport.rssBytes(Long.MAX_VALUE)).as("no such process").isEqualTo(-1);
    if (Files.exists(Path.of("/proc/self/status"))) {
      assertThat(StatusReport.rssBytes(ProcessHandle.current().pid())).isPositive();
    }
  }
}
