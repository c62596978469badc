package dev.jobengine.core;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.helpers.NOPLoggerFactory;

/**
 * Errors that matter (a callback that threw, a worker that died, a broken pool) are logged, and
 * when the application has no SLF4J provider, which would drop them silently, also printed on
 * stderr. Everything else the engine logs stays with SLF4J only.
 */
public final class Report {
  private static final String VERBOSITY = "slf4j.internal.verbosity";

  private Report() {}

  /**
   * Before the engine's first logger: without an SLF4J provider, SLF4J would print three lines of
   * warning about it in an application that chose to have none. The errors that matter reach
   * stderr anyway (see {@link #warn}). Changes nothing when the application has a provider, or
   * set the property itself.
   */
  public static void quietWithoutProvider() {
    if (System.getProperty(VERBOSITY) == null && !hasProvider()) {
      System.setProperty(VERBOSITY, "ERROR");
    }
  }

  /** Whether SLF4J has a back end to log to (an SLF4J 1.7 counts as having one). */
  public static boolean hasProvider() {
    try {
      ClassLoader loader = Report.class.getClassLoader();
      Class<?> spi = Class.forName("org.slf4j.spi.SLF4JServiceProvider", false, loader);
      return java.util.ServiceLoader.load(spi, loader).findFirst().isPresent();
    } catch (ClassNotFoundException | LinkageError | java.util.ServiceConfigurationError e) {
      return true; // an SLF4J without providers (1.7): leave it as it is
    }
  }

  private static final class NoProvider {
    static final boolean VALUE = LoggerFactory.getILoggerFactory() instanceof NOPLoggerFactory;
  }

  /** Logs a warning; with no SLF4J provider, prints it (and its stack trace) on stderr too. */
  public static void warn(Logger log, String message, Throwable t) {
    log.warn(message, t);
    if (NoProvider.VALUE) {
      System.err.println("jobengine: " + message);
      if (t != null) {
        t.printStackTrace();
      }
    }
  }

  /** As {@link #warn}, at error level. */
  public static void error(Logger log, String message, Throwable t) {
    log.error(message, t);
    if (NoProvider.VALUE) {
      System.err.println("jobengine: " + message);
      if (t != null) {
        t.printStackTrace();
      }
    }
  }
}
