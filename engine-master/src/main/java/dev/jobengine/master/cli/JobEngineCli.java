package dev.jobengine.master.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code jobengine} command line. */
@Command(
    name = "jobengine",
    mixinStandardHelpOptions = true,
    version = "jobengine 0.1.0",
    description = "Python's multiprocessing for Java: pools of worker JVMs running tasks with callbacks.",
    subcommands = {DemoCommand.class, DaemonCommand.class, StatusCommand.class, WorkerCommand.class})
public final class JobEngineCli implements Runnable {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  public static void main(String[] args) {
    if (System.getProperty("logback.configurationFile") == null) {
      System.setProperty("logback.configurationFile", "jobengine-cli-logback.xml");
    }
    System.exit(new CommandLine(new JobEngineCli()).execute(args));
  }

  @Override
  public void run() {
    spec.commandLine().usage(System.out);
  }
}
