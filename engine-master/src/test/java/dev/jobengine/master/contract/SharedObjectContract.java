package dev.jobengine.master.contract;

/**
 * One way to reach the master's shared objects. Every contract interface's tests run through it:
 * a class implementing this and the contract interfaces runs each contract on that path (the
 * master's own handles, handles over in-process gRPC, handles inside a forked worker).
 */
public interface SharedObjectContract {
  /** Runs {@code scenario} where this path puts it, with a prefix no other test uses. */
  void run(Scenario scenario) throws Exception;
}
