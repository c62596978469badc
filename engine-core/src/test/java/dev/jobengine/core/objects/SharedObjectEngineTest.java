package dev.jobengine.core.objects;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.jobengine.Engine;
import dev.jobengine.EngineProcess;
import dev.jobengine.Job;
import dev.jobengine.Pool;
import dev.jobengine.PoolOptions;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class SharedObjectEngineTest {
  /** An engine whose objects cannot be reached: a null name must be refused before any call. */
  private static final class Unreachable extends SharedObjectEngine {
    Unreachable() {
      objects(new SharedObjects("test", null));
    }

    @Override
    public Pool pool(int workers) {
      throw new UnsupportedOperationException();
    }

    @Override
    public Pool pool(PoolOptions options) {
      throw new UnsupportedOperationException();
    }

    @Override
    public EngineProcess process(Job target) {
      throw new UnsupportedOperationException();
    }

    @Override
    public void close() {}
  }

  static Stream<Arguments> factories() {
    return Stream.of(
        Arguments.of("queue", (Consumer<Engine>) e -> e.queue(null)),
        Arguments.of("queue", (Consumer<Engine>) e -> e.queue(null, 3)),
        Arguments.of("queue", (Consumer<Engine>) e -> e.queue(null, -1)),
        Arguments.of("joinable_queue", (Consumer<Engine>) e -> e.joinableQueue(null)),
        Arguments.of("lock", (Consumer<Engine>) e -> e.lock(null)),
        Arguments.of("rlock", (Consumer<Engine>) e -> e.rlock(null)),
        Arguments.of("semaphore", (Consumer<Engine>) e -> e.semaphore(null, 1)),
        Arguments.of("bounded_semaphore", (Consumer<Engine>) e -> e.boundedSemaphore(null, 1)),
        Arguments.of("event", (Consumer<Engine>) e -> e.event(null)),
        Arguments.of("barrier", (Consumer<Engine>) e -> e.barrier(null, 2)),
        Arguments.of("map", (Consumer<Engine>) e -> e.map(null)),
        Arguments.of("list", (Consumer<Engine>) e -> e.list(null)),
        Arguments.of("pipe", (Consumer<Engine>) e -> e.pipe(null)));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("factories")
  void aNullNameIsRefusedNamingTheParameter(String kind, Consumer<Engine> factory) {
    assertThatThrownBy(() -> factory.accept(new Unreachable()))
        .isExactlyInstanceOf(NullPointerException.class)
        .hasMessageStartingWith("name must not be null")
        .hasMessageContaining(kind);
  }
}
