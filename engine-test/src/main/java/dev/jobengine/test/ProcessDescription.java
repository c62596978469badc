package dev.jobengine.test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * How a failure names a process: its pid and command line, with the class path (long, and the same
 * for every worker) left out. Reads {@code /proc/<pid>/cmdline} where there is one: {@link
 * ProcessHandle.Info} cuts long command lines short.
 */
final class ProcessDescription {
  private static final int MAX_ARGUMENT = 200;

  private ProcessDescription() {}

  static String of(ProcessHandle process) {
    List<String> words = commandLine(process);
    if (words.isEmpty()) {
      return "pid " + process.pid() + ": " + process.info().commandLine().orElse("(command line unknown)");
    }
    List<String> shown = new ArrayList<>();
    for (int i = 0; i < words.size(); i++) {
      boolean classPath = i > 0 && ("-cp".equals(words.get(i - 1)) || "-classpath".equals(words.get(i - 1)));
      String word = words.get(i);
      shown.add(classPath ? "<class path>" : word.length() <= MAX_ARGUMENT ? word : word.substring(0, MAX_ARGUMENT) + "...");
    }
    return "pid " + process.pid() + ": " + String.join(" ", shown);
  }

  private static List<String> commandLine(ProcessHandle process) {
    try {
      byte[] raw = Files.readAllBytes(Path.of("/proc", Long.toString(process.pid()), "cmdline"));
      String all = new String(raw, StandardCharsets.UTF_8);
      return all.isEmpty() ? List.of() : Arrays.asList(all.split("\0"));
    } catch (IOException | RuntimeException e) {
      return process.info().arguments()
          .map(args -> {
            List<String> words = new ArrayList<>();
            words.add(process.info().command().orElse("?"));
            words.addAll(Arrays.asList(args));
            return words;
          })
          .orElse(List.of());
    }
  }
}
