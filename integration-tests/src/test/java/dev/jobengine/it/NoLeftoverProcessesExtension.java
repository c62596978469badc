package dev.jobengine.it;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Registered for every test (service file + autodetection): after each test, every child process
 * of the test JVM must be gone within a bound. Leftovers are killed and the test fails.
 */
public final class NoLeftoverProcessesExtension implements AfterEachCallback {
  private static final Duration BOUND = Duration.ofSeconds(15);

  @Override
  public void afterEach(ExtensionContext context) {
    boolean clean = Processes.await(BOUND, () -> ProcessHandle.current().descendants().allMatch(p -> Processes.isGone(p.pid())));
    if (!clean) {
      List<String> left = ProcessHandle.current().descendants()
          .filter(p -> !Processes.isGone(p.pid()))
          .map(p -> p.pid() + " " + p.info().commandLine().orElse("?"))
          .toList();
      ProcessHandle.current().descendants().forEach(ProcessHandle::destroyForcibly);
      throw new AssertionError(context.getDisplayName() + " left processes behind: " + left);
    }
  }
}
