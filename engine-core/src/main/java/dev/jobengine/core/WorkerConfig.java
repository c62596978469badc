package dev.jobengine.core;

import java.util.HashMap;
import java.util.Map;

/**
 * The worker's command-line arguments: {@code --hub ADDR --id N --codec CLASS --max-payload N
 * --parent PID --standby BOOL}. Whether it serves a pool or runs one EngineProcess job, the master
 * says once it is connected, so a worker can be started before anyone needs it: a standby worker,
 * which warms up while it waits.
 */
public record WorkerConfig(
    String hub, int workerId, String codecClass, int maxPayloadBytes, long parentPid, boolean standby) {

  /** The worker JVM's main class (in engine-worker), which takes these arguments. */
  public static final String MAIN_CLASS = "dev.jobengine.worker.WorkerMain";

  /**
   * Set (to true) on a worker JVM that records the class-data archive: it warms up as a standby
   * worker does, so that the archive holds the task path whether or not a task reaches it.
   */
  public static final String RECORDING_PROPERTY = "jobengine.cds.recording";

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
        Boolean.parseBoolean(required(m, "standby")));
  }

  public String[] toArgs() {
    return new String[] {
      "--hub", hub,
      "--id", Integer.toString(workerId),
      "--codec", codecClass,
      "--max-payload", Integer.toString(maxPayloadBytes),
      "--parent", Long.toString(parentPid),
      "--standby", Boolean.toString(standby)
    };
  }

  private static String required(Map<String, String> m, String key) {
    String v = m.get(key);
    if (v == null) {
      throw new IllegalArgumentException("missing --" + key);
    }
    return v;
  }
}
