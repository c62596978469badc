package dev.jobengine.worker.internal;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import dev.jobengine.proto.ResultBatch;
import dev.jobengine.proto.TaskResult;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Results gather while a flush is pending and leave in batches of bounded size. */
class ResultOutboxTest {
  private final List<ResultBatch> sent = new ArrayList<>();
  private final List<Runnable> io = new ArrayList<>();
  private final ResultOutbox outbox = new ResultOutbox(sent::add);

  private static TaskResult result(long id, int bytes) {
    return TaskResult.newBuilder().setTaskId(id).setValue(ByteString.copyFrom(new byte[bytes])).build();
  }

  private void runIo() {
    List<Runnable> now = new ArrayList<>(io);
    io.clear();
    now.forEach(Runnable::run);
  }

  @Test
  void resultsAddedBeforeTheFlushRunsLeaveTogether() {
    outbox.add(result(1, 10), io::add);
    outbox.add(result(2, 10), io::add);
    outbox.add(result(3, 10), io::add);
    assertThat(io).as("one flush asked for").hasSize(1);
    runIo();
    assertThat(sent).singleElement().satisfies(b ->
        assertThat(b.getResultsList()).extracting(TaskResult::getTaskId).containsExactly(1L, 2L, 3L));
    outbox.add(result(4, 10), io::add);
    assertThat(io).as("a new flush after the last one ran").hasSize(1);
    runIo();
    assertThat(sent).hasSize(2);
  }

  @Test
  void batchesAreBoundedButABigResultStillGoes() {
    outbox.add(result(1, ResultOutbox.BATCH_BYTES / 2), io::add);
    outbox.add(result(2, ResultOutbox.BATCH_BYTES / 2), io::add);
    outbox.add(result(3, 3 * ResultOutbox.BATCH_BYTES), io::add);
    runIo();
    assertThat(sent).extracting(ResultBatch::getResultsCount).containsExactly(1, 1, 1);
  }

  @Test
  void flushSendsWhatIsLeftWithoutTheIoThread() {
    outbox.add(result(1, 10), io::add);
    outbox.flush();
    assertThat(sent).hasSize(1);
    runIo();
    assertThat(sent).as("the pending flush finds nothing more").hasSize(1);
  }
}
