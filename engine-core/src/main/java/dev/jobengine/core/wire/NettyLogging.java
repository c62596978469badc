package dev.jobengine.core.wire;

import io.netty.util.internal.logging.InternalLogLevel;
import io.netty.util.internal.logging.InternalLogger;
import dev.jobengine.core.Report;
import io.netty.util.internal.logging.InternalLoggerFactory;
import io.netty.util.internal.logging.JdkLoggerFactory;
import io.netty.util.internal.logging.Slf4JLoggerFactory;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;

/**
 * Where the engine's Netty is its own (relocated into the runtime jar), its DEBUG and TRACE go
 * nowhere unless {@code -Djobengine.nettyDebug=true}: a Logback without configuration logs
 * everything at DEBUG, and Netty and gRPC's frame loggers would print hundreds of lines a run.
 * INFO and above still reach the application's SLF4J back end under the relocated names
 * ({@code dev.jobengine.shaded.io.netty...}). A Netty that is not relocated is the application's
 * too, and is left alone.
 */
final class NettyLogging {
  static final String DEBUG_PROPERTY = "jobengine.nettyDebug";
  private static boolean done;

  private NettyLogging() {}

  static synchronized void quietUnlessAsked() {
    if (done) {
      return;
    }
    done = true;
    if (!relocated(InternalLoggerFactory.class.getName()) || Boolean.getBoolean(DEBUG_PROPERTY)) {
      return;
    }
    // as Netty would choose, without asking it (that logs its choice at DEBUG, and wakes SLF4J early)
    Report.quietWithoutProvider();
    InternalLoggerFactory base = Report.hasProvider() ? Slf4JLoggerFactory.INSTANCE : JdkLoggerFactory.INSTANCE;
    InternalLoggerFactory.setDefaultFactory(new InternalLoggerFactory() {
      @Override
      protected InternalLogger newInstance(String name) {
        return quiet(base instanceof Slf4JLoggerFactory s
            ? s.newInstance(name) : ((JdkLoggerFactory) base).newInstance(name));
      }
    });
  }

  /** Not a constant: the runtime jar's relocation rewrites constant strings that name Netty's packages. */
  private static final String NETTY_PACKAGE = String.join(".", "io", "netty", "");

  static boolean relocated(String nettyClassName) {
    return !nettyClassName.startsWith(NETTY_PACKAGE);
  }

  /** {@code logger} without its DEBUG and TRACE. */
  static InternalLogger quiet(InternalLogger logger) {
    return (InternalLogger) Proxy.newProxyInstance(InternalLogger.class.getClassLoader(),
        new Class<?>[] {InternalLogger.class}, (proxy, method, args) -> {
          String m = method.getName();
          if (m.startsWith("trace") || m.startsWith("debug")) {
            return null;
          }
          if (m.equals("isTraceEnabled") || m.equals("isDebugEnabled")) {
            return false;
          }
          if ((m.equals("isEnabled") || m.equals("log")) && args != null && args.length > 0
              && (args[0] == InternalLogLevel.DEBUG || args[0] == InternalLogLevel.TRACE)) {
            return m.equals("isEnabled") ? Boolean.FALSE : null;
          }
          if (m.equals("toString") && args == null) {
            return "quiet " + logger;
          }
          try {
            return method.invoke(logger, args);
          } catch (InvocationTargetException e) {
            throw e.getCause();
          }
        });
  }
}
