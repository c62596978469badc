package dev.jobengine.core.objects;

import dev.jobengine.Connection;
import dev.jobengine.Pipe;

/**
 * A pipe on the master (Python's {@code Pipe()}): two connected ends, each of which sends to the
 * other and receives what the other sent, in order. See {@link ConnectionHandle} for who owns an
 * end and when it closes.
 */
public final class PipeHandle<E> extends CoreHandle implements Pipe<E> {
  private static final long serialVersionUID = 1L;

  PipeHandle(HandleCore core) {
    super(core);
  }

  @Override
  public Connection<E> left() {
    return new ConnectionHandle<>(core, ConnectionHandle.LEFT);
  }

  @Override
  public Connection<E> right() {
    return new ConnectionHandle<>(core, ConnectionHandle.RIGHT);
  }
}
