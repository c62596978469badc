package dev.jobengine.core;

import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;

/**
 * The worker's command-line arguments: {@code --hub ADDR --id N --codec CLASS --max-payload N
 * --parent PID --warm-up BOOL [--allowed-classes PATTERN]}. Whether it serves a pool or runs one EngineProcess job, the master
 * says once it is connected, so a worker can be started before anyone needs it: a standby worker.
 * {@code warmUp}: take the task path once before the first task (a standby worker, while it
 * waits; the worker that records the class-data archive, so that the archive holds that path).
 * {@code allowedClasses}: the engine's class allow-list ({@code EngineOptions.allowedClasses()}),
 * null (and no argument) for any class.
 */
public record WorkerConfig(
    String hub, int workerId, String codecClass, int maxPayloadBytes, long parentPid, boolean warmUp,
    String allowedClasses) {

  /** A worker that may decode any class. */
  public WorkerConfig(String hub, int workerId, String codecClass, int maxPayloadBytes, long parentPid, boolean warmUp) {
    this(hub, workerId, codecClass, maxPayloadBytes, parentPid, warmUp, null);
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
        m.get("allowed-classes"));
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
    if (allowedClasses == null) {
      return args;
    }
    String[] all = Arrays.copyOf(args, args.length + 2);
    all[args.length] = "--allowed-classes";
    all[args.length + 1] = allowedClasses;
    return all;
  }

  private static String required(Map<String, String> m, String key) {
    String v = m.get(key);
    if (v == null) {
      throw new IllegalArgumentException("missing --" + key);
    }
    return v;
  }
}
