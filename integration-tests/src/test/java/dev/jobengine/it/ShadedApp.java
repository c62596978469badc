package dev.jobengine.it;

import com.google.protobuf.ByteString;
import dev.jobengine.AsyncResult;
import dev.jobengine.Engine;
import dev.jobengine.EngineOptions;
import dev.jobengine.Pool;
import dev.jobengine.SharedLock;
import dev.jobengine.SharedMap;
import dev.jobengine.SharedQueue;
import io.netty.buffer.Unpooled;
import io.netty.util.Version;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * An application with a Netty and a protobuf of its own, on the runtime jar, for ShadedRuntimeIT:
 * its pool's tasks count under a shared lock and report, through a shared queue, what each worker
 * sees; then it prints what the master sees. Over a Unix domain socket only (the engine's epoll).
 */
public final class ShadedApp {
  static final int TASKS = 6;

  private ShadedApp() {}

  public static void main(String[] args) throws Exception {
    EngineOptions unixOnly = EngineOptions.builder().transport(EngineOptions.Transport.UNIX).build();
    try (Engine engine = Engine.start(unixOnly); Pool pool = engine.pool(2)) {
      SharedQueue<String> reports = engine.queue("reports");
      SharedLock lock = engine.lock("counter");
      SharedMap<String, Integer> counter = engine.map("count");
      List<AsyncResult<Long>> results = new ArrayList<>();
      for (int i = 0; i < TASKS; i++) {
        results.add(pool.applyAsync(() -> {
          lock.lock();
          try {
            counter.set("n", counter.getOrDefault("n", 0) + 1);
          } finally {
            lock.unlock();
          }
          reports.put("worker " + seen());
          return ProcessHandle.current().pid();
        }));
      }
      for (AsyncResult<Long> r : results) {
        r.get(60, TimeUnit.SECONDS);
      }
      for (int i = 0; i < TASKS; i++) {
        System.out.println(reports.poll(60, TimeUnit.SECONDS));
      }
      System.out.println("master " + seen());
      System.out.println("RESULT tasks=" + TASKS + " counted=" + counter.get("n"));
    }
  }

  /**
   * The versions of Netty and protobuf this code sees and the jars they come from, whether the
   * engine's relocated epoll is available, the epoll library this process has mapped, and its
   * class path.
   */
  static String seen() throws Exception {
    ClassLoader loader = ShadedApp.class.getClassLoader();
    String netty = Version.identify(Version.class.getClassLoader()).get("netty-common").artifactVersion();
    Class<?> protobufVersion = Class.forName("com.google.protobuf.RuntimeVersion", true, loader);
    String protobuf = protobufVersion.getField("MAJOR").get(null) + "." + protobufVersion.getField("MINOR").get(null)
        + "." + protobufVersion.getField("PATCH").get(null);
    // use them: these are the application's classes, not the engine's
    int used = Unpooled.wrappedBuffer(new byte[3]).readableBytes() + ByteString.copyFromUtf8("abc").size();
    Class<?> epoll = Class.forName("dev.jobengine.shaded.io.netty.channel.epoll.Epoll", true, loader);
    String nativeLibrary = Files.readAllLines(Path.of("/proc/self/maps")).stream()
        .filter(l -> l.contains("netty_transport_native_epoll"))
        .map(l -> Path.of(l.substring(l.indexOf('/')).replace(" (deleted)", "")).getFileName().toString())
        .distinct()
        .collect(Collectors.joining(","));
    String classPath = Arrays.stream(System.getProperty("java.class.path").split(File.pathSeparator))
        .map(e -> Path.of(e).getFileName().toString())
        .collect(Collectors.joining(","));
    return "pid=" + ProcessHandle.current().pid()
        + " netty=" + netty + " from=" + jar(Version.class)
        + " protobuf=" + protobuf + " from=" + jar(ByteString.class)
        + " used=" + used
        + " epoll=" + epoll.getMethod("isAvailable").invoke(null)
        + " native=" + nativeLibrary
        + " classpath=" + classPath;
  }

  private static String jar(Class<?> type) throws Exception {
    return Path.of(type.getProtectionDomain().getCodeSource().getLocation().toURI()).getFileName().toString();
  }
}
