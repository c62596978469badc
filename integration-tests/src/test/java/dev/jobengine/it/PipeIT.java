package dev.jobengine.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.jobengine.Connection;
import dev.jobengine.Engine;
import dev.jobengine.EngineProcess;
import dev.jobengine.Pipe;
import dev.jobengine.PipeClosedException;
import dev.jobengine.SharedEvent;
import dev.jobengine.test.JobEngineExtension;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/** Pipes between processes and the master, and what the other end sees when a process dies. */
@ExtendWith(JobEngineExtension.class)
@Timeout(120)
class PipeIT {
  private static final Duration WAIT = Duration.ofSeconds(60);
  private Engine engine;

  @Test
  void twoProcessesTalkThroughAPipeBothWays() throws Exception {
    Pipe<String> pipe = engine.pipe("ping-pong");
    Connection<String> a = pipe.left();
    Connection<String> b = pipe.right();
    EngineProcess pinger = engine.process(() -> {
      for (int i = 0; i < 100; i++) {
        a.send("ping " + i);
        String answer = a.recv(WAIT);
        if (!answer.equals("pong " + i)) {
          throw new AssertionError("out of order: " + answer);
        }
      }
      a.send("done");
    }).name("pinger").start();
    EngineProcess ponger = engine.process(() -> {
      for (String m = b.recv(WAIT); !m.equals("done"); m = b.recv(WAIT)) {
        b.send(m.replace("ping", "pong"));
      }
    }).name("ponger").start();
    assertThat(pinger.join(WAIT)).isTrue();
    assertThat(ponger.join(WAIT)).isTrue();
    assertThat(pinger.exitCode()).hasValue(0);
    assertThat(ponger.exitCode()).hasValue(0);
  }

  @Test
  void theMasterGetsWhatAFinishedProcessSentAndThenTheEndOfThePipe() throws Exception {
    Pipe<Integer> pipe = engine.pipe("results");
    Connection<Integer> mine = pipe.left();
    Connection<Integer> theirs = pipe.right();
    EngineProcess producer = engine.process(() -> {
      for (int i = 0; i < 1_000; i++) {
        theirs.send(i);
      }
    }).start();
    List<Integer> got = new ArrayList<>();
    assertThatThrownBy(() -> {
      while (true) {
        got.add(mine.recv(WAIT));
      }
    }).as("Python would wait here forever").isInstanceOf(PipeClosedException.class);
    assertThat(got).hasSize(1_000).isSorted().startsWith(0).endsWith(999);
    assertThat(producer.join(WAIT)).isTrue();
    assertThatThrownBy(() -> mine.send(1)).as("nobody can receive it").isInstanceOf(PipeClosedException.class);
  }

  @Test
  void aReceiveWaitingOnAProcessKilledBySigkillEndsInsteadOfHanging() throws Exception {
    Pipe<String> pipe = engine.pipe("victim");
    Connection<String> mine = pipe.left();
    Connection<String> theirs = pipe.right();
    SharedEvent ready = engine.event("victim-ready");
    EngineProcess victim = engine.process(() -> {
      theirs.send("hello");
      ready.set();
      Thread.sleep(60_000); // killed before it sends more
    }).start();
    assertThat(ready.await(WAIT)).isTrue();
    assertThat(mine.recv(WAIT)).isEqualTo("hello");
    CompletableFuture<Throwable> waiting = CompletableFuture.supplyAsync(() -> {
      try {
        mine.recv();
        return null;
      } catch (Throwable t) {
        return t;
      }
    });
    victim.kill();
    assertThat(waiting.get(WAIT.toSeconds(), TimeUnit.SECONDS))
        .isInstanceOf(PipeClosedException.class)
        .hasMessageContaining("right end of pipe 'victim' is closed");
    assertThat(mine.poll(Duration.ZERO)).as("ready: recv would not wait").isTrue();
  }

  @Test
  void anEndStaysOpenWhileAnyProcessThatUsedItLives() throws Exception {
    Pipe<String> pipe = engine.pipe("shared-end");
    Connection<String> mine = pipe.left();
    Connection<String> theirs = pipe.right();
    SharedEvent first = engine.event("first-sent");
    SharedEvent exit = engine.event("second-exit");
    SharedEvent twoSent = engine.event("second-sent");
    EngineProcess one = engine.process(() -> { // ends only once the second has used the end too
      theirs.send("from one");
      twoSent.await(WAIT);
      first.set();
    }).start();
    EngineProcess two = engine.process(() -> {
      theirs.send("from two");
      twoSent.set();
      exit.await(WAIT);
      theirs.send("two again");
    }).start();
    assertThat(one.join(WAIT)).isTrue();
    assertThat(first.await(WAIT)).isTrue();
    List<String> got = new ArrayList<>(List.of(mine.recv(WAIT), mine.recv(WAIT)));
    assertThat(got).containsExactlyInAnyOrder("from one", "from two");
    assertThat(mine.poll(Duration.ofMillis(200))).as("the second process still holds the end").isFalse();
    exit.set();
    assertThat(mine.recv(WAIT)).isEqualTo("two again");
    assertThat(two.join(WAIT)).isTrue();
    assertThatThrownBy(() -> mine.recv(WAIT)).isInstanceOf(PipeClosedException.class);
  }

  @Test
  void aProcessThatClosesItsEndEndsThePipeWhileItLives() throws Exception {
    Pipe<String> pipe = engine.pipe("closer");
    Connection<String> mine = pipe.left();
    Connection<String> theirs = pipe.right();
    SharedEvent exit = engine.event("closer-exit");
    EngineProcess closer = engine.process(() -> {
      theirs.send("last words");
      theirs.close();
      try {
        theirs.send("after close");
        throw new AssertionError("a send after close must fail");
      } catch (IllegalStateException expected) {
        // as documented
      }
      exit.await(WAIT);
    }).start();
    theirs.close(); // Python's habit of closing the child's end in the parent: harmless here
    assertThat(mine.recv(WAIT)).isEqualTo("last words");
    assertThatThrownBy(() -> mine.recv(WAIT)).isInstanceOf(PipeClosedException.class);
    assertThat(closer.isAlive()).isTrue();
    exit.set();
    assertThat(closer.join(WAIT)).isTrue();
    assertThat(closer.exitCode()).as("the child used its end after the parent closed it").hasValue(0);
  }
}
