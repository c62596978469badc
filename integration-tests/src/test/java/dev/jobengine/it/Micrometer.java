package dev.jobengine.it;

/** Whether Micrometer is on the class path; a class of its own, which links without Micrometer. */
final class Micrometer {
  private Micrometer() {}

  /** True in the failsafe execution with Micrometer; the others skip the tests that need it. */
  static boolean onClassPath() {
    try {
      Class.forName("io.micrometer.core.instrument.MeterRegistry", false, Micrometer.class.getClassLoader());
      return true;
    } catch (ClassNotFoundException e) {
      return false;
    }
  }
}
