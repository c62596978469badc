package dev.jobengine.core;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.HashMap;
import java.util.Map;

/**
 * The worker's command-line arguments: {@code --hub ADDR --id N --codec CLASS --max-payload N
 * --parent PID --warm-up BOOL [--allowed-classes PATTERN]}. Whether it serves a pool or runs one EngineProcess job, the master
 * says once it is connected, so a worker can be started before anyone needs it: a standby worker.
 * {@code warmUp}: take the task path once before the first task (a standby worker, while it
 * waits; the worker that records the class-data archive, so that the archive holds that path).
 * {@code allowedClasses}: the engine's class allow-list ({@code EngineOptions.allowedClasses()}),
 * null (and no argument) for any class. {@code codeDir} ({@code --code-dir}): where the jars of the
 * leases it serves are cached, by content hash (a daemon's local workers share the daemon's store);
 * null for a private directory made when first needed. {@code workerId} 0 is a worker that joined
 * of its own accord ({@code jobengine worker --connect}): the master gives it an id, and {@code
 * parentPid} 0 means it has no parent to outlive.
 */
public record WorkerConfig(
    String hub, int workerId, String codecClass, int maxPayloadBytes, long parentPid, boolean warmUp,
    String allowedClasses, String codeDir) {

  /** A worker that may decode any class. */
  public WorkerConfig(String hub, int workerId, String codecClass, int maxPayloadBytes, long parentPid, boolean warmUp) {
    this(hub, workerId, codecClass, maxPayloadBytes, parentPid, warmUp, null, null);
  }

  public WorkerConfig(String hub, int workerId, String codecClass, int maxPayloadBytes, long parentPid, boolean warmUp,
      String allowedClasses) {
    this(hub, workerId, codecClass, maxPayloadBytes, parentPid, warmUp, allowedClasses, null);
  }

  /** Whether the master started it, rather than it joining of its own accord. */
  public boolean launched() {
    return workerId != 0;
  }

  /** The worker JVM's main class (in engine-worker), which takes these arguments. */
  public static final String MAIN_CLASS = "dev.jobengine.worker.WorkerMain";

  public static WorkerConfig parse(String[] args) {
    Map<String, String> m = new HashMap<>();
    for (int i = 0; i + 1 < args.length; i += 2) {
      if (!args[i].startsWith("--")) {
        throw new IllegalArgumentException("unexpected argument " + args[i]);
      }
      m.put(args[i].substring(2), args[i + 1]);
    }
    return new WorkerConfig(
        required(m, "hub"),
        Integer.parseInt(required(m, "id")),
        required(m, "codec"),
        Integer.parseInt(required(m, "max-payload")),
        Long.parseLong(required(m, "parent")),
        Boolean.parseBoolean(required(m, "warm-up")),
        m.get("allowed-classes"),
        m.get("code-dir"));
  }

  public String[] toArgs() {
    String[] args = {
      "--hub", hub,
      "--id", Integer.toString(workerId),
      "--codec", codecClass,
      "--max-payload", Integer.toString(maxPayloadBytes),
      "--parent", Long.toString(parentPid),
      "--warm-up", Boolean.toString(warmUp)
    };
    List<String> all = new ArrayList<>(Arrays.asList(args));
    if (allowedClasses != null) {
      all.add("--allowed-classes");
      all.add(allowedClasses);
    }
    if (codeDir != null) {
      all.add("--code-dir");
      all.add(codeDir);
    }
    return all.toArray(String[]::new);
  }

  private static String required(Map<String, String> m, String key) {
    String v = m.get(key);
    if (v == null) {
      throw new IllegalArgumentException("missing --" + key);
    }
    return v;
  }
}
