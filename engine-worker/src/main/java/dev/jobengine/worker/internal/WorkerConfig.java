package dev.jobengine.worker.internal;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The worker's command-line arguments: {@code --hub ADDR --id N --codec CLASS --max-payload N
 * --parent PID [--process NAME]}. With {@code --process} the worker runs one EngineProcess job and
 * exits with 0, or 1 if the job threw.
 */
public record WorkerConfig(
    String hub, int workerId, String codecClass, int maxPayloadBytes, long parentPid, String processName) {

  public WorkerConfig(String hub, int workerId, String codecClass, int maxPayloadBytes, long parentPid) {
    this(hub, workerId, codecClass, maxPayloadBytes, parentPid, null);
  }

  public boolean processMode() {
    return processName != null;
  }

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
        m.get("process"));
  }

  public String[] toArgs() {
    List<String> args = new ArrayList<>(List.of(
        "--hub", hub,
        "--id", Integer.toString(workerId),
        "--codec", codecClass,
        "--max-payload", Integer.toString(maxPayloadBytes),
        "--parent", Long.toString(parentPid)));
    if (processName != null) {
      args.add("--process");
      args.add(processName);
    }
    return args.toArray(String[]::new);
  }

  private static String required(Map<String, String> m, String key) {
    String v = m.get(key);
    if (v == null) {
      throw new IllegalArgumentException("missing --" + key);
    }
    return v;
  }
}
