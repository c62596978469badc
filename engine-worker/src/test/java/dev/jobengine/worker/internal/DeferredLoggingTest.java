package dev.jobengine.worker.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.slf4j.ILoggerFactory;
import org.slf4j.IMarkerFactory;
import org.slf4j.helpers.BasicMDCAdapter;
import org.slf4j.helpers.BasicMarkerFactory;
import org.slf4j.helpers.NOPLoggerFactory;
import org.slf4j.spi.MDCAdapter;
import org.slf4j.spi.SLF4JServiceProvider;

class DeferredLoggingTest {
  /** A back end whose MDC exists only once it is initialized, as Log4j 2's provider has it. */
  private static final class BackEnd implements SLF4JServiceProvider {
    volatile boolean initialized;
    volatile MDCAdapter mdc;

    @Override
    public ILoggerFactory getLoggerFactory() {
      return new NOPLoggerFactory();
    }

    @Override
    public IMarkerFactory getMarkerFactory() {
      return new BasicMarkerFactory();
    }

    @Override
    public MDCAdapter getMDCAdapter() {
      return mdc;
    }

    @Override
    public String getRequestedApiVersion() {
      return "2.0.99";
    }

    @Override
    public void initialize() {
      mdc = new BasicMDCAdapter();
      initialized = true;
    }
  }

  @Test
  void theBackEndInitializesOnlyOnceTheWorkerSaysGo() throws Exception {
    BackEnd backEnd = new BackEnd();
    CountDownLatch go = new CountDownLatch(1);
    DeferredLogging provider = new DeferredLogging(backEnd, go, TimeUnit.MINUTES.toNanos(5));
    CompletableFuture<Void> init = CompletableFuture.runAsync(provider::initialize);
    assertThat(provider.getMDCAdapter()).as("an MDC before the back end has one").isNotNull();
    assertThat(init).isNotDone();
    assertThat(backEnd.initialized).isFalse();
    go.countDown();
    init.get(10, TimeUnit.SECONDS);
    assertThat(backEnd.initialized).isTrue();
    assertThat(provider.getRequestedApiVersion()).isEqualTo("2.0.99");
  }

  @Test
  void mdcValuesPutBeforeTheBackEndReachItsMdcWithTheThreadsNextCall() throws Exception {
    BackEnd backEnd = new BackEnd();
    CountDownLatch go = new CountDownLatch(1);
    DeferredLogging provider = new DeferredLogging(backEnd, go, TimeUnit.MINUTES.toNanos(5));
    MDCAdapter mdc = provider.getMDCAdapter();
    mdc.put("worker", "1");
    CompletableFuture<Void> other = CompletableFuture.runAsync(() -> mdc.put("worker", "2"));
    other.get(10, TimeUnit.SECONDS);
    assertThat(mdc.get("worker")).isEqualTo("1");

    go.countDown();
    provider.initialize();
    mdc.put("task", "7");
    assertThat(backEnd.mdc.get("worker")).as("handed over with this thread's next call").isEqualTo("1");
    assertThat(backEnd.mdc.get("task")).isEqualTo("7");
    mdc.remove("worker");
    assertThat(backEnd.mdc.get("worker")).isNull();
    assertThat(mdc.getCopyOfContextMap()).containsOnlyKeys("task");
  }
}
