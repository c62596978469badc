package dev.jobengine.master.internal.pool;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.jobengine.master.internal.pool.Scheduler.Assignment;
import dev.jobengine.master.internal.pool.Scheduler.Completion;
import dev.jobengine.master.internal.pool.Scheduler.Loss;
import java.util.List;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;

class SchedulerTest {
  record Job(long taskId) implements Scheduler.Work {}

  private static Job job(long id) {
    return new Job(id);
  }

  /** Jobs with ids {@code from..to}, inclusive. */
  private static List<Job> jobs(long from, long to) {
    return LongStream.rangeClosed(from, to).mapToObj(Job::new).toList();
  }

  private static Assignment<Job> a(int worker, long seq, long taskId) {
    return new Assignment<>(worker, seq, job(taskId));
  }

  private static Completion<Job> done(long taskId, List<Assignment<Job>> next) {
    return new Completion<>(job(taskId), next, false);
  }

  private static void assertCounts(Scheduler<Job> s, int pending, int inFlight, int workers) {
    assertThat(s.pendingCount()).as("pending").isEqualTo(pending);
    assertThat(s.inFlightCount()).as("in flight").isEqualTo(inFlight);
    assertThat(s.workerCount()).as("workers").isEqualTo(workers);
    assertThat(s.idle()).as("idle").isEqualTo(pending == 0 && inFlight == 0);
  }

  @Test
  void rejectsPrefetchBelowOne() {
    assertThatThrownBy(() -> new Scheduler<Job>(0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("prefetch");
  }

  @Test
  void rejectsTheSameWorkerTwice() {
    Scheduler<Job> s = new Scheduler<>(1);
    s.addWorker(1);
    assertThatThrownBy(() -> s.addWorker(1)).isInstanceOf(IllegalStateException.class);
  }

  @Test
  void newSchedulerIsIdle() {
    assertCounts(new Scheduler<>(2), 0, 0, 0);
  }

  @Test
  void tasksWaitUntilAWorkerIsAdded() {
    Scheduler<Job> s = new Scheduler<>(2);
    assertThat(s.submit(job(1))).isEmpty();
    assertThat(s.submitAll(jobs(2, 3))).isEmpty();
    assertCounts(s, 3, 0, 0);

    assertThat(s.addWorker(7)).containsExactly(a(7, 1, 1), a(7, 2, 2));
    assertCounts(s, 1, 2, 1);
  }

  @Test
  void eachWorkerHoldsAtMostPrefetchTasks() {
    Scheduler<Job> s = new Scheduler<>(3);
    s.addWorker(1);
    assertThat(s.submitAll(jobs(1, 5))).containsExactly(a(1, 1, 1), a(1, 2, 2), a(1, 3, 3));
    assertThat(s.submit(job(6))).isEmpty();
    assertCounts(s, 3, 3, 1);
  }

  @Test
  void spreadsWorkToTheLeastLoadedWorker() {
    Scheduler<Job> s = new Scheduler<>(3);
    s.addWorker(1);
    s.addWorker(2);
    assertThat(s.submitAll(jobs(1, 4)))
        .containsExactly(a(1, 1, 1), a(2, 1, 2), a(1, 2, 3), a(2, 2, 4));

    assertThat(s.complete(2, 2)).isEqualTo(done(2, List.of()));
    // worker 2 now holds 1 task, worker 1 holds 2: the next task goes to worker 2
    assertThat(s.submit(job(5))).containsExactly(a(2, 3, 5));
  }

  @Test
  void seqNumbersArePerWorkerAndNeverReused() {
    Scheduler<Job> s = new Scheduler<>(1);
    s.addWorker(1);
    s.addWorker(2);
    assertThat(s.submitAll(jobs(1, 2))).containsExactly(a(1, 1, 1), a(2, 1, 2));
    s.complete(1, 1);
    assertThat(s.submit(job(3))).containsExactly(a(1, 2, 3));
    s.complete(1, 3);
    assertThat(s.submit(job(4))).containsExactly(a(1, 3, 4));
  }

  @Test
  void completeReturnsTheTaskAndRefillsThatWorker() {
    Scheduler<Job> s = new Scheduler<>(2);
    s.addWorker(1);
    s.addWorker(2);
    s.submitAll(jobs(1, 6)); // worker 1: 1, 3; worker 2: 2, 4; queued: 5, 6

    assertThat(s.complete(2, 4)).isEqualTo(done(4, List.of(a(2, 3, 5))));
    assertThat(s.complete(1, 1)).isEqualTo(done(1, List.of(a(1, 3, 6))));
    assertThat(s.complete(1, 3)).isEqualTo(done(3, List.of()));
    assertCounts(s, 0, 3, 2);
  }

  @Test
  void completeOfAnUnknownTaskReturnsANullTask() {
    Scheduler<Job> s = new Scheduler<>(2);
    s.addWorker(1);
    s.submitAll(jobs(1, 3));
    Completion<Job> none = new Completion<>(null, List.of(), false);

    assertThat(s.complete(1, 99)).as("unknown task").isEqualTo(none);
    assertThat(s.complete(2, 1)).as("unknown worker").isEqualTo(none);
    assertCounts(s, 1, 2, 1);

    assertThat(s.complete(1, 1)).isEqualTo(done(1, List.of(a(1, 3, 3))));
    assertThat(s.complete(1, 1)).as("completed twice").isEqualTo(none);
    assertCounts(s, 0, 2, 1);
  }

  @Test
  void removeWorkerReportsTheRunningTaskAndRequeuesTheOthersAtTheFrontInOrder() {
    Scheduler<Job> s = new Scheduler<>(3);
    s.addWorker(1);
    s.submitAll(jobs(1, 5)); // worker 1: 1, 2, 3; queued: 4, 5
    s.complete(1, 1); // worker 1: 2, 3, 4 (seq 2, 3, 4); queued: 5

    assertThat(s.removeWorker(1)).isEqualTo(new Loss<>(job(2), List.of()));
    assertCounts(s, 3, 0, 0);
    assertThat(s.addWorker(2)).containsExactly(a(2, 1, 3), a(2, 2, 4), a(2, 3, 5));
  }

  @Test
  void removeWorkerReassignsHeldTasksToFreeWorkers() {
    Scheduler<Job> s = new Scheduler<>(3);
    s.addWorker(1);
    s.submitAll(jobs(1, 3));
    s.addWorker(2);

    assertThat(s.removeWorker(1))
        .isEqualTo(new Loss<>(job(1), List.of(a(2, 1, 2), a(2, 2, 3))));
    assertCounts(s, 0, 2, 1);
    assertThat(s.complete(1, 2).task()).as("task of the removed worker").isNull();
  }

  @Test
  void removeWorkerOfAnUnknownOrEmptyWorkerLosesNothing() {
    Scheduler<Job> s = new Scheduler<>(1);
    s.addWorker(1);
    assertThat(s.removeWorker(9)).isEqualTo(new Loss<Job>(null, List.of()));
    assertThat(s.removeWorker(1)).isEqualTo(new Loss<Job>(null, List.of()));
    assertCounts(s, 0, 0, 0);
  }

  @Test
  void cancelOnlyWithdrawsTasksNotYetAssigned() {
    Scheduler<Job> s = new Scheduler<>(1);
    s.addWorker(1);
    s.submitAll(jobs(1, 3));

    assertThat(s.cancel(job(1))).as("assigned").isFalse();
    assertThat(s.cancel(job(2))).as("queued").isTrue();
    assertThat(s.cancel(job(2))).as("already cancelled").isFalse();
    assertCounts(s, 1, 1, 1);
    assertThat(s.complete(1, 1)).isEqualTo(done(1, List.of(a(1, 2, 3))));
  }

  @Test
  void drainRemovesQueuedAndAssignedTasks() {
    Scheduler<Job> s = new Scheduler<>(1);
    s.addWorker(1);
    s.addWorker(2);
    s.submitAll(jobs(1, 4));

    assertThat(s.drain()).containsExactlyInAnyOrderElementsOf(jobs(1, 4));
    assertCounts(s, 0, 0, 2);
    assertThat(s.complete(1, 1).task()).as("drained task").isNull();
    assertThat(s.drain()).isEmpty();
  }

  @Test
  void anIdleWorkerStealsTheYoungerHalfOfUnstartedTasks() {
    Scheduler<Job> s = new Scheduler<>(5);
    s.addWorker(1);
    s.submitAll(jobs(1, 5));
    assertThat(s.steal()).as("no idle worker").isEmpty();
    s.addWorker(2);
    Scheduler.Steal<Job> steal = s.steal().orElseThrow();
    assertThat(steal.workerId()).isEqualTo(1);
    assertThat(steal.tasks()).containsExactly(a(1, 4, 4), a(1, 5, 5));
    assertThat(s.steal()).as("one revocation at a time").isEmpty();

    assertThat(s.revoked(1, List.of(5L))).containsExactly(a(2, 1, 5));
    assertThat(s.steal()).as("task 4 is still being revoked").isEmpty();
    assertThat(s.complete(1, 4).task()).as("a revocation that failed: the task ran").isEqualTo(job(4));
    assertCounts(s, 0, 4, 2);
    s.complete(2, 5);
    assertThat(s.steal()).as("the next revocation").hasValueSatisfying(
        next -> assertThat(next.tasks()).containsExactly(a(1, 3, 3)));
  }

  @Test
  void nothingIsStolenWhileTasksAreQueuedOrFromARunningTask() {
    Scheduler<Job> s = new Scheduler<>(1);
    s.addWorker(1);
    s.submitAll(jobs(1, 3));
    s.addWorker(2);
    assertThat(s.steal()).as("the queue is not empty").isEmpty();
    s.complete(2, 2);
    s.complete(2, 3);
    assertThat(s.steal()).as("worker 1 holds only its running task").isEmpty();
  }

  record Sized(long taskId, long bytes) implements Scheduler.Work {}

  @Test
  void aWorkersPayloadBytesAreBoundedButAFirstTaskOfAnySizeIsAllowed() {
    Scheduler<Sized> s = new Scheduler<>(10, 100, 0, System::nanoTime);
    s.addWorker(1);
    assertThat(s.submit(new Sized(1, 500))).hasSize(1);
    assertThat(s.submit(new Sized(2, 10))).as("over the budget with the big one held").isEmpty();
    assertThat(s.complete(1, 1).next()).extracting(Assignment::task).containsExactly(new Sized(2, 10));
    assertThat(s.submitAll(List.of(new Sized(3, 60), new Sized(4, 30), new Sized(5, 30)))).hasSize(2);
    assertThat(s.pendingCount()).isEqualTo(1);
  }

  @Test
  void aStoppedVictimDoesNotStopStealingFromTheOthers() {
    Scheduler<Job> s = new Scheduler<>(4);
    s.addWorker(1);
    s.addWorker(2);
    s.submitAll(jobs(1, 8)); // 1, 3, 5, 7 on worker 1; 2, 4, 6, 8 on worker 2
    s.addWorker(3);
    Scheduler.Steal<Job> first = s.steal().orElseThrow();
    // the victim never answers (stopped); another idle worker still gets tasks from the other one
    s.addWorker(4);
    Scheduler.Steal<Job> second = s.steal().orElseThrow();
    assertThat(second.workerId()).isNotEqualTo(first.workerId());
  }

  @Test
  void aWorkerIsGivenAtMostItsTaskBudgetThenReportsItselfExhausted() {
    Scheduler<Job> s = new Scheduler<>(10, Long.MAX_VALUE, 3, System::nanoTime);
    s.addWorker(1);
    assertThat(s.submitAll(jobs(1, 5))).extracting(Assignment::task).containsExactly(job(1), job(2), job(3));
    assertThat(s.complete(1, 1).exhausted()).isFalse();
    assertThat(s.complete(1, 2).exhausted()).isFalse();
    Completion<Job> last = s.complete(1, 3);
    assertThat(last.exhausted()).as("ran its 3 and holds none").isTrue();
    assertThat(last.next()).isEmpty();
    s.removeWorker(1);
    assertThat(s.addWorker(2)).extracting(Assignment::task).containsExactly(job(4), job(5));
  }

  @Test
  void revokedTasksGiveTheirBudgetBack() {
    Scheduler<Job> s = new Scheduler<>(10, Long.MAX_VALUE, 2, System::nanoTime);
    s.addWorker(1);
    s.submitAll(jobs(1, 2));
    s.addWorker(2);
    s.revoked(1, List.of(2L));
    assertThat(s.complete(1, 1).exhausted()).as("one of its two given back").isFalse();
  }

  @Test
  void headsAreTimedFromWhenTheyBecomeHeads() {
    long[] now = {1_000};
    Scheduler<Job> s = new Scheduler<>(4, Long.MAX_VALUE, 0, () -> now[0]);
    s.addWorker(1);
    s.submitAll(jobs(1, 2));
    assertThat(s.oldestHeadSince()).isEqualTo(1_000);
    now[0] = 1_500;
    assertThat(s.overdue(600, t -> {})).isEmpty();
    List<Job> settled = new java.util.ArrayList<>();
    assertThat(s.overdue(500, settled::add)).containsExactly(new Scheduler.Overdue<>(1, job(1)));
    assertThat(settled).containsExactly(job(1));
    assertThat(s.overdue(500, settled::add)).as("its worker is doomed: reported once").isEmpty();
    assertThat(s.oldestHeadSince()).as("a doomed worker's head is not watched").isEqualTo(Long.MAX_VALUE);
    s.removeWorker(1); // its end: task 2 goes back to the queue
    now[0] = 1_700;
    s.addWorker(2);
    s.submit(job(3));
    assertThat(s.oldestHeadSince()).isEqualTo(1_700);
    now[0] = 1_900;
    s.complete(2, 2);
    assertThat(s.oldestHeadSince()).as("task 3 started when task 2 ended").isEqualTo(1_900);
    assertThat(s.runningOn(job(3))).contains(2);
    assertThat(s.find(job(3))).contains(new Scheduler.Placement(2, 2, true));
    s.complete(2, 3);
    assertThat(s.oldestHeadSince()).isEqualTo(Long.MAX_VALUE);
  }

  record Settled(long taskId, boolean abandoned) implements Scheduler.Work {}

  @Test
  void abandonedTasksAreDroppedInsteadOfSentAndRetriesGoFirst() {
    Scheduler<Settled> s = new Scheduler<>(1);
    s.submitAll(List.of(new Settled(1, true), new Settled(2, false), new Settled(3, false)));
    s.retry(new Settled(4, false));
    assertThat(s.addWorker(1)).extracting(Assignment::task).containsExactly(new Settled(4, false));
    assertThat(s.oldestHeadSince()).isNotEqualTo(Long.MAX_VALUE);
    assertThat(s.complete(1, 4).next()).extracting(Assignment::task).containsExactly(new Settled(2, false));
    assertThat(s.pendingCount()).as("the abandoned one is gone").isEqualTo(1);
  }

  @Test
  void aHeldTaskIsSettledOnlyWhileItIsHeldAndAHeadOnlyWhenAllowed() {
    Scheduler<Job> s = new Scheduler<>(4);
    s.addWorker(1);
    s.submitAll(jobs(1, 3));
    assertThat(s.settleHeld(job(1), false, t -> true)).as("a head, not allowed").isEmpty();
    assertThat(s.settleHeld(job(2), false, t -> true)).contains(new Scheduler.Placement(1, 2, false));
    assertThat(s.settleHeld(job(3), false, t -> false)).as("settled by someone else first").isEmpty();
    s.complete(1, 1);
    assertThat(s.settleHeld(job(1), true, t -> true)).as("finished: its outcome is on its way").isEmpty();
    s.revoked(1, List.of(2L));
    assertThat(s.settleHeld(job(3), true, t -> true)).as("now the head").contains(new Scheduler.Placement(1, 3, true));
    assertThat(s.oldestHeadSince()).as("its worker is doomed").isEqualTo(Long.MAX_VALUE);
  }
}
