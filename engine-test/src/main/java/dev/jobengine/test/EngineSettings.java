package dev.jobengine.test;

import dev.jobengine.Codec;
import dev.jobengine.EngineOptions;
import dev.jobengine.JavaSerializationCodec;
import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * The {@link EngineOptions} of the engine {@link JobEngineExtension} starts for each test. Put it on
 * the test class (it then holds for every test in it, in subclasses and in {@code @Nested} classes)
 * or on a test method; the one nearest the test wins as a whole: a method's annotation replaces its
 * class's, it does not merge with it. Without it a test's engine has {@link
 * EngineOptions#defaults()}, and so does every attribute left out here.
 *
 * <pre>{@code
 * @ExtendWith(JobEngineExtension.class)
 * @EngineSettings(shutdownTimeoutMillis = 1000)
 * class MyTest {
 *   @Test
 *   @EngineSettings(transport = EngineOptions.Transport.TCP, standbyWorkers = 2)
 *   void overTcp(Engine engine) { ... }
 * }
 * }</pre>
 */
@Documented
@Inherited
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.TYPE, ElementType.METHOD})
public @interface EngineSettings {
  /**
   * {@link EngineOptions#transport()}. Default {@link EngineOptions.Transport#AUTO}.
   *
   * @return the transport
   */
  EngineOptions.Transport transport() default EngineOptions.Transport.AUTO;

  /**
   * {@link EngineOptions#maxPayloadBytes()}. Default 256 MiB.
   *
   * @return the payload limit in bytes
   */
  int maxPayloadBytes() default EngineOptions.DEFAULT_MAX_PAYLOAD_BYTES;

  /**
   * {@link EngineOptions#codec()}: a public class with a public no-argument constructor. Default
   * {@link JavaSerializationCodec}.
   *
   * @return the codec's class
   */
  Class<? extends Codec> codec() default JavaSerializationCodec.class;

  /**
   * {@link EngineOptions#shutdownTimeout()}, in milliseconds. Default 5000 (5 s).
   *
   * @return the shutdown timeout in milliseconds
   */
  long shutdownTimeoutMillis() default 5000;

  /**
   * {@link EngineOptions#standbyWorkers()}, 0 to 64. Default 0.
   *
   * @return the number of standby workers
   */
  int standbyWorkers() default 0;

  /**
   * How long the extension waits, after the test, for the engine's {@code close()} to return, in
   * milliseconds; a close that takes longer fails the test. Default -1: the shutdown timeout plus
   * 10 s.
   *
   * @return the close timeout in milliseconds, or -1 for the default
   */
  long closeTimeoutMillis() default -1;
}
