package dev.jobengine.worker.internal;

import java.util.Deque;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.slf4j.ILoggerFactory;
import org.slf4j.IMarkerFactory;
import org.slf4j.helpers.BasicMDCAdapter;
import org.slf4j.spi.MDCAdapter;
import org.slf4j.spi.SLF4JServiceProvider;

/**
 * The SLF4J provider a worker JVM starts with: it stands for the real one (the first other
 * provider on the class path, Logback's say) and holds back that one's initialization until the
 * worker has sent its first result, or for at most {@code -Djobengine.worker.loggingDelayMillis}
 * (1000), or until the worker ends. Reading Logback's configuration took a fresh worker 100-145 ms
 * of CPU, on the cores the worker's own start and the other workers' were waiting for. Meanwhile
 * SLF4J hands out its stand-in loggers, which record what is logged and replay it, in order, to the
 * real loggers once they exist: nothing is lost, some lines come out later.
 *
 * <p>SLF4J binds the MDC before it initializes a provider: values put meanwhile (the worker, the
 * task) are kept per thread and handed to the real provider's MDC by each thread's next MDC call
 * after it is ready (without this, the stand-in's MDC stayed bound for good).
 */
public final class DeferredLogging implements SLF4JServiceProvider {
  /** The system property SLF4J 2.0.9 and later read to pick a provider. */
  static final String PROVIDER_PROPERTY = "slf4j.provider";
  private static final long DELAY_NANOS =
      TimeUnit.MILLISECONDS.toNanos(Long.getLong("jobengine.worker.loggingDelayMillis", 1000));
  private static final CountDownLatch GO = new CountDownLatch(1);

  /** The provider {@link #install()} found. */
  private static volatile SLF4JServiceProvider found;

  private final SLF4JServiceProvider real;
  private final CountDownLatch go;
  private final long delayNanos;
  private final HandOverMdc mdc = new HandOverMdc();

  /** Made by SLF4J, through {@link #PROVIDER_PROPERTY}. */
  public DeferredLogging() {
    this(found != null ? found : realProvider(DeferredLogging.class.getClassLoader()), GO, DELAY_NANOS);
  }

  DeferredLogging(SLF4JServiceProvider real, CountDownLatch go, long delayNanos) {
    if (real == null) {
      throw new IllegalStateException("no SLF4J provider to stand for"); // install() checked there is one
    }
    this.real = real;
    this.go = go;
    this.delayNanos = delayNanos;
  }

  /**
   * Makes SLF4J start with this provider, unless the JVM names one itself, there is none, or the
   * delay is off; true if it does.
   */
  public static boolean install() {
    if (DELAY_NANOS <= 0 || System.getProperty(PROVIDER_PROPERTY) != null) {
      return false;
    }
    found = realProvider(DeferredLogging.class.getClassLoader());
    if (found == null) {
      return false;
    }
    System.setProperty(PROVIDER_PROPERTY, DeferredLogging.class.getName());
    return true;
  }

  /** The worker sent its first result, or is ending: the real provider may initialize now. */
  public static void go() {
    GO.countDown();
  }

  private static SLF4JServiceProvider realProvider(ClassLoader loader) {
    try {
      for (SLF4JServiceProvider p : ServiceLoader.load(SLF4JServiceProvider.class, loader)) {
        if (!(p instanceof DeferredLogging)) {
          return p;
        }
      }
    } catch (java.util.ServiceConfigurationError e) {
      return null; // SLF4J reports a broken provider itself
    }
    return null;
  }

  @Override
  public void initialize() {
    try {
      go.await(delayNanos, TimeUnit.NANOSECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    real.initialize();
    mdc.ready(real.getMDCAdapter());
  }

  @Override
  public ILoggerFactory getLoggerFactory() {
    return real.getLoggerFactory();
  }

  @Override
  public IMarkerFactory getMarkerFactory() {
    return real.getMarkerFactory();
  }

  @Override
  public MDCAdapter getMDCAdapter() {
    return mdc;
  }

  @Override
  public String getRequestedApiVersion() {
    return real.getRequestedApiVersion();
  }

  /** Values put before the real MDC exists, kept per thread; each thread hands its own over. */
  static final class HandOverMdc implements MDCAdapter {
    private final BasicMDCAdapter early = new BasicMDCAdapter();
    private volatile MDCAdapter real;

    void ready(MDCAdapter adapter) {
      this.real = adapter;
    }

    private MDCAdapter current() {
      MDCAdapter r = real;
      if (r == null) {
        return early;
      }
      Map<String, String> kept = early.getCopyOfContextMap();
      if (kept != null) {
        early.clear();
        kept.forEach(r::put);
      }
      return r;
    }

    @Override
    public void put(String key, String val) {
      current().put(key, val);
    }

    @Override
    public String get(String key) {
      return current().get(key);
    }

    @Override
    public void remove(String key) {
      current().remove(key);
    }

    @Override
    public void clear() {
      current().clear();
    }

    @Override
    public Map<String, String> getCopyOfContextMap() {
      return current().getCopyOfContextMap();
    }

    @Override
    public void setContextMap(Map<String, String> contextMap) {
      current().setContextMap(contextMap);
    }

    @Override
    public void pushByKey(String key, String value) {
      current().pushByKey(key, value);
    }

    @Override
    public String popByKey(String key) {
      return current().popByKey(key);
    }

    @Override
    public Deque<String> getCopyOfDequeByKey(String key) {
      return current().getCopyOfDequeByKey(key);
    }

    @Override
    public void clearDequeByKey(String key) {
      current().clearDequeByKey(key);
    }
  }
}
