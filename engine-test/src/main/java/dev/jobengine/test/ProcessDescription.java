package dev.jobengine.test;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** How a failure names a process: its pid and command line, with a long class path shortened. */
final class ProcessDescription {
  private static final int MAX_ARGUMENT = 120;

  private ProcessDescription() {}

  static String of(ProcessHandle process) {
    ProcessHandle.Info info = process.info();
    Optional<String> command = info.command();
    Optional<String[]> arguments = info.arguments();
    String commandLine;
    if (command.isPresent() && arguments.isPresent()) {
      List<String> words = new ArrayList<>();
      words.add(command.get());
      String[] args = arguments.get();
      for (int i = 0; i < args.length; i++) {
        boolean classPath = i > 0 && ("-cp".equals(args[i - 1]) || "-classpath".equals(args[i - 1]));
        words.add(classPath ? "<class path>" : shorten(args[i]));
      }
      commandLine = String.join(" ", words);
    } else {
      commandLine = info.commandLine().or(info::command).orElse("(command line unknown)");
    }
    return "pid " + process.pid() + ": " + commandLine;
  }

  private static String shorten(String argument) {
    return argument.length() <= MAX_ARGUMENT ? argument : argument.substring(0, MAX_ARGUMENT) + "...";
  }
}
