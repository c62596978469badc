package dev.jobengine.master.internal.pool;

import com.google.protobuf.ByteString;
import dev.jobengine.proto.MasterMessage;
import dev.jobengine.proto.Revocation;
import dev.jobengine.proto.Revoke;
import dev.jobengine.proto.TaskAssignment;
import dev.jobengine.proto.TaskBatch;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The messages a pool sends on its workers' streams. */
final class TaskMessages {
  private TaskMessages() {}

  static TaskAssignment assignment(long taskId, long seq, ByteString payload) {
    return TaskAssignment.newBuilder().setTaskId(taskId).setSeq(seq).setPayload(payload).build();
  }

  /** One batch of tasks per worker, in assignment order. */
  static Map<Integer, MasterMessage> tasks(List<Scheduler.Assignment<PendingTask>> assignments) {
    Map<Integer, TaskBatch.Builder> byWorker = new LinkedHashMap<>();
    for (Scheduler.Assignment<PendingTask> a : assignments) {
      byWorker
          .computeIfAbsent(a.workerId(), id -> TaskBatch.newBuilder())
          .addTasks(assignment(a.task().taskId(), a.seq(), a.task().payload()));
    }
    Map<Integer, MasterMessage> out = new LinkedHashMap<>();
    byWorker.forEach((id, batch) -> out.put(id, MasterMessage.newBuilder().setTasks(batch).build()));
    return out;
  }

  /** Give back these tasks if not started. */
  static MasterMessage revoke(List<Scheduler.Assignment<PendingTask>> tasks) {
    Revoke.Builder revoke = Revoke.newBuilder();
    for (Scheduler.Assignment<PendingTask> a : tasks) {
      revoke.addTasks(Revocation.newBuilder().setTaskId(a.task().taskId()).setSeq(a.seq()));
    }
    return MasterMessage.newBuilder().setRevoke(revoke).build();
  }
}
