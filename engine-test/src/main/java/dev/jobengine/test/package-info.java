/**
 * A JUnit 5 harness for tests of code that uses jobengine: {@link
 * dev.jobengine.test.JobEngineExtension} gives each test an engine of its own and fails the test if
 * a worker JVM outlives it; {@link dev.jobengine.test.EngineSettings} sets the engine's options; and
 * {@link dev.jobengine.test.Faults} kills, stops and disconnects workers on purpose.
 */
package dev.jobengine.test;
