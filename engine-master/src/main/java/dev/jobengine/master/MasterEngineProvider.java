package dev.jobengine.master;

import dev.jobengine.Engine;
import dev.jobengine.EngineOptions;
import dev.jobengine.core.CurrentEngine;
import dev.jobengine.core.Report;
import dev.jobengine.master.internal.EngineImpl;
import dev.jobengine.master.internal.client.ClientEngine;
import dev.jobengine.spi.EngineProvider;

/** Found by {@link java.util.ServiceLoader}: the embedded master behind {@link Engine#start}. */
public final class MasterEngineProvider implements EngineProvider {
  static {
    Report.quietWithoutProvider(); // before any of the engine's loggers
  }

  @Override
  public Engine start(EngineOptions options) {
    return EngineImpl.start(options);
  }

  @Override
  public Engine connect(String target, byte[] authkey) {
    return ClientEngine.connect(target, authkey);
  }

  @Override
  public Engine current() {
    Engine engine = CurrentEngine.get();
    if (engine == null) {
      throw new IllegalStateException(
          "Engine.current() is only available inside a task or process running in a worker JVM");
    }
    return engine;
  }
}
