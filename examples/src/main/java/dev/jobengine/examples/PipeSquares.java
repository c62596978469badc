package dev.jobengine.examples;

import dev.jobengine.Connection;
import dev.jobengine.Engine;
import dev.jobengine.EngineProcess;
import dev.jobengine.Pipe;
import dev.jobengine.PipeClosedException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Two ends of a pipe (Python's {@code Pipe()}): the master sends numbers through one end, a
 * squarer process sends their squares back through the other until it receives the sentinel -1,
 * and ends. The master reads the squares, and then, since the only process that used the other
 * end has ended, gets {@link PipeClosedException} instead of waiting forever as Python would.
 */
public final class PipeSquares {
  static final int NUMBERS = 10;

  private PipeSquares() {}

  public static String run(Engine engine) throws Exception {
    Pipe<Integer> pipe = engine.pipe("squares");
    Connection<Integer> mine = pipe.left();
    Connection<Integer> theirs = pipe.right();
    EngineProcess squarer = engine.process(() -> {
      for (int n = theirs.recv(); n >= 0; n = theirs.recv()) {
        theirs.send(n * n);
      }
    }).name("squarer").start();
    for (int i = 1; i <= NUMBERS; i++) {
      mine.send(i);
    }
    mine.send(-1);
    List<Integer> squares = new ArrayList<>();
    String end;
    try {
      while (true) {
        squares.add(mine.recv(Duration.ofSeconds(60)));
      }
    } catch (PipeClosedException closed) {
      end = "then the pipe was closed";
    }
    ProducerConsumer.joinOrFail(squarer);
    return squares.size() + " squares came back: " + squares + "; " + end;
  }
}
