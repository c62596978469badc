package dev.jobengine.core;

import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Threads with a role name ({@code jobengine-hub-1}) and an uncaught-exception handler that logs. */
public final class NamedThreadFactory implements ThreadFactory {
  private static final Logger log = LoggerFactory.getLogger(NamedThreadFactory.class);

  private final String prefix;
  private final boolean daemon;
  private final AtomicInteger counter = new AtomicInteger();

  public NamedThreadFactory(String prefix, boolean daemon) {
    this.prefix = prefix;
    this.daemon = daemon;
  }

  @Override
  public Thread newThread(Runnable r) {
    Thread t = new Thread(r, prefix + "-" + counter.incrementAndGet());
    t.setDaemon(daemon);
    t.setUncaughtExceptionHandler((th, e) -> log.error("uncaught exception in {}", th.getName(), e));
    return t;
  }

  /** Starts a single named thread. */
  public static Thread start(String name, boolean daemon, Runnable body) {
    Thread t = new Thread(body, name);
    t.setDaemon(daemon);
    t.setUncaughtExceptionHandler((th, e) -> log.error("uncaught exception in {}", th.getName(), e));
    t.start();
    return t;
  }
}
