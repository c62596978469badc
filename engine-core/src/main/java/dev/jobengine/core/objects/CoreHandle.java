package dev.jobengine.core.objects;

import java.io.Serializable;

/**
 * Base of the handles that are not collections: they hold a {@link HandleCore}, and two handles
 * are equal when they name the same object of the same engine.
 */
abstract class CoreHandle implements Serializable {
  private static final long serialVersionUID = 1L;

  final HandleCore core;

  CoreHandle(HandleCore core) {
    this.core = core;
  }

  @Override
  public final boolean equals(Object o) {
    return o != null && o.getClass() == getClass() && ((CoreHandle) o).core.equals(core);
  }

  @Override
  public final int hashCode() {
    return core.hashCode();
  }

  @Override
  public final String toString() {
    return core.toString();
  }
}
