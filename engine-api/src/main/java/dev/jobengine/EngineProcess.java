package dev.jobengine;

import java.time.Duration;
import java.util.OptionalInt;

/**
 * A single process running a {@link Job} in its own JVM (Python's {@code Process}), made by {@link
 * Engine#process(Job)}: set its name and daemon flag, {@link #start()} it, then {@link #join()} it.
 * The JVM runs the job and exits with 0, or with 1 if the job threw (its stack trace goes to the
 * process's stderr). The locks, permits and taken items it holds are given back when it ends.
 *
 * <p>When the engine closes, daemon processes are killed and the others are waited for.
 */
public interface EngineProcess {
  /**
   * Sets the process's name (default {@code Process-N}); before {@link #start()}.
   *
   * @param name the name, used in messages and logs
   * @return this process
   * @throws NullPointerException if {@code name} is null
   * @throws IllegalStateException if the process was started
   */
  EngineProcess name(String name);

  /**
   * Sets whether this is a daemon process (default false); before {@link #start()}. {@link
   * Engine#close()} kills daemon processes and waits for the others.
   *
   * @param daemon true for a daemon process
   * @return this process
   * @throws IllegalStateException if the process was started
   */
  EngineProcess daemon(boolean daemon);

  /**
   * Starts the process's JVM (or takes a standby worker) and hands it the job. Returns once the JVM
   * exists, at most after the {@link PoolOptions#startupTimeout() startup timeout}; it does not
   * wait for the job to start.
   *
   * @return this process
   * @throws TaskSerializationException if the job cannot be encoded (nothing is started)
   * @throws JobEngineException if the JVM cannot be started, is not started within the startup
   *     timeout, or the calling thread is interrupted meanwhile (its interrupt flag is set again)
   * @throws IllegalStateException if the process was started already
   */
  EngineProcess start();

  /**
   * The process's name.
   *
   * @return the name set, or {@code Process-N}
   */
  String name();

  /**
   * Whether this is a daemon process.
   *
   * @return the daemon flag
   */
  boolean isDaemon();

  /**
   * The process id of its JVM.
   *
   * @return the pid, or -1 before {@link #start()}
   */
  long pid();

  /**
   * Whether its JVM runs now.
   *
   * @return true after {@link #start()} until the JVM has exited
   */
  boolean isAlive();

  /**
   * Waits, without a bound, until the process has exited.
   *
   * @throws InterruptedException if the calling thread is interrupted while waiting
   * @throws IllegalStateException if the process was not started
   */
  void join() throws InterruptedException;

  /**
   * Waits at most {@code timeout} until the process has exited.
   *
   * @param timeout how long to wait at most
   * @return true if the process has exited, false if the timeout passed first
   * @throws InterruptedException if the calling thread is interrupted while waiting
   * @throws IllegalStateException if the process was not started
   */
  boolean join(Duration timeout) throws InterruptedException;

  /**
   * The exit code, as Python reports it.
   *
   * @return empty before start and while running; then 0 when the job returned, 1 when it threw,
   *     -N when the JVM was killed by signal N, or the status the JVM exited with otherwise
   */
  OptionalInt exitCode();

  /**
   * Sends SIGTERM to the process's JVM (Python's {@code terminate()}); returns without waiting.
   *
   * @throws IllegalStateException if the process was not started
   */
  void terminate();

  /**
   * Sends SIGKILL to the process's JVM (Python's {@code kill()}); returns without waiting.
   *
   * @throws IllegalStateException if the process was not started
   */
  void kill();
}
