package dev.jobengine.master.contract;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.jobengine.SharedLock;
import dev.jobengine.SharedSemaphore;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** {@link SharedLock} (plain and re-entrant) and {@link SharedSemaphore}, as one process sees them. */
public interface LockContract extends SharedObjectContract {
  Duration SHORT = Duration.ofMillis(50);

  @Test
  default void lockIsHeldUntilReleased() throws Exception {
    run((engine, p) -> {
      SharedLock lock = engine.lock(p + "l");
      assertThat(lock.isLocked()).isFalse();
      lock.lock();
      assertThat(lock.isLocked()).isTrue();
      assertThat(lock.tryLock()).as("not re-entrant").isFalse();
      assertThat(lock.acquire(SHORT)).isFalse();
      assertThat(lock.tryLock(50, TimeUnit.MILLISECONDS)).isFalse();
      lock.unlock();
      assertThat(lock.isLocked()).isFalse();
      assertThatThrownBy(lock::release).isInstanceOf(IllegalMonitorStateException.class);
      assertThat(lock.acquire(SHORT)).isTrue();
      SharedLock again = engine.lock(p + "l");
      again.release(); // a hold belongs to the process, whatever the handle
      assertThat(lock.isLocked()).isFalse();
      assertThatThrownBy(lock::newCondition).isInstanceOf(UnsupportedOperationException.class);
    });
  }

  @Test
  default void rlockCountsTheHoldsOfItsProcess() throws Exception {
    run((engine, p) -> {
      SharedLock r = engine.rlock(p + "r");
      r.lock();
      assertThat(r.tryLock()).isTrue();
      assertThat(r.acquire(SHORT)).isTrue();
      r.release();
      r.release();
      assertThat(r.isLocked()).isTrue();
      r.release();
      assertThat(r.isLocked()).isFalse();
      assertThatThrownBy(r::release).isInstanceOf(IllegalMonitorStateException.class);
      assertThatThrownBy(() -> engine.lock(p + "r")).as("a lock is not an rlock").isInstanceOf(IllegalStateException.class);
    });
  }

  @Test
  default void semaphoreCountsPermitsAndABoundedOneRefusesTooManyReleases() throws Exception {
    run((engine, p) -> {
      SharedSemaphore s = engine.semaphore(p + "s", 2);
      s.acquire();
      assertThat(s.tryAcquire(SHORT)).isTrue();
      assertThat(s.availablePermits()).isZero();
      assertThat(s.tryAcquire(SHORT)).isFalse();
      s.release();
      s.release();
      s.release(); // a plain semaphore may go above its initial count, as in Python
      assertThat(s.availablePermits()).isEqualTo(3);
      SharedSemaphore b = engine.boundedSemaphore(p + "b", 1);
      assertThatThrownBy(b::release).isInstanceOf(IllegalStateException.class);
      b.acquire();
      b.release();
      assertThat(b.availablePermits()).isEqualTo(1);
      assertThatThrownBy(() -> engine.semaphore(p + "neg", -1)).isInstanceOf(IllegalArgumentException.class);
    });
  }
}
