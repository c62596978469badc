package dev.jobengine;

import java.lang.reflect.Modifier;
import java.time.Duration;
import java.util.Objects;

/** Immutable settings of an embedded engine; build with {@link #builder()}. */
public final class EngineOptions {
  /** How workers reach the master's hub. */
  public enum Transport {
    /** A Unix domain socket where the platform supports it, else TCP loopback. */
    AUTO,
    /** A Unix domain socket in a private (0700) directory; fails where unsupported. */
    UNIX,
    /** TCP on the loopback interface. */
    TCP
  }

  /** Default payload limit: 256 MiB. */
  public static final int DEFAULT_MAX_PAYLOAD_BYTES = 256 << 20;

  private final Transport transport;
  private final int maxPayloadBytes;
  private final Codec codec;
  private final Duration shutdownTimeout;
  private final int standbyWorkers;
  private final String allowedClasses;
  private final Duration connectionTimeout;

  private EngineOptions(Builder b) {
    this.allowedClasses = b.allowedClasses;
    this.connectionTimeout = b.connectionTimeout;

    this.transport = b.transport;
    this.maxPayloadBytes = b.maxPayloadBytes;
    this.codec = b.codec;
    this.shutdownTimeout = b.shutdownTimeout;
    this.standbyWorkers = b.standbyWorkers;
  }

  /**
   * The default options: those of {@code builder().build()}.
   *
   * @return the defaults
   */
  public static EngineOptions defaults() {
    return builder().build();
  }

  /**
   * A builder holding the defaults.
   *
   * @return a new builder
   */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * How workers reach the master's hub. Default {@link Transport#AUTO}.
   *
   * @return the transport
   */
  public Transport transport() {
    return transport;
  }

  /**
   * Largest encoded task, item chunk, result or shared-object value, in bytes; a larger one fails
   * with {@link TaskSerializationException}. Default 256 MiB ({@link #DEFAULT_MAX_PAYLOAD_BYTES}).
   *
   * @return the limit in bytes
   */
  public int maxPayloadBytes() {
    return maxPayloadBytes;
  }

  /**
   * How tasks, items, results and shared-object values become bytes; workers create their own
   * instance of the same class. Default {@link JavaSerializationCodec}.
   *
   * @return the codec
   */
  public Codec codec() {
    return codec;
  }

  /**
   * How long stopping a worker waits for it to exit before killing it (SIGKILL), when a pool is
   * terminated or the engine closes. Default 5 s.
   *
   * @return the timeout
   */
  public Duration shutdownTimeout() {
    return shutdownTimeout;
  }

  /**
   * Worker JVMs the engine keeps started and connected ahead of need. A pool or an {@link
   * EngineProcess} whose JVM options, class path and output are the defaults takes one of them
   * instead of starting a JVM (which costs a few hundred milliseconds), and each one taken is
   * replaced in the background, so starting a pool of n workers or n processes in a row costs
   * little while {@code n} is at most this many. They are started with the engine, cost the memory
   * of idle JVMs, and end with the engine. Default 0: every worker JVM starts when needed.
   *
   * @return the number of standby workers, 0 to 64
   */
  public int standbyWorkers() {
    return standbyWorkers;
  }

  /**
   * The classes the master and its workers may decode from a payload, beyond the engine's own;
   * null (the default) for any class.
   *
   * <p>A pattern list in {@link java.io.ObjectInputFilter.Config#createFilter} syntax, such as
   * {@code "com.example.model.*;com.example.tasks.**;!com.example.tasks.Admin"}: patterns are
   * separated by {@code ;}, the first that matches a class decides, {@code !} refuses, {@code
   * .*} matches a package's classes, {@code .**} its subpackages too, and a trailing {@code *} any
   * class name with that prefix; an array is matched by its element type. A class matched by no
   * pattern is refused unless the engine needs it: its own types ({@code dev.jobengine.*}, {@code
   * dev.jobengine.core.**}: handles, map chunks, exceptions), primitives, and the basics of {@code
   * java.base} (the packages {@code java.lang}, {@code java.lang.invoke.SerializedLambda}, {@code
   * java.util}, {@code java.util.concurrent} and {@code .atomic}, {@code java.time} and its
   * subpackages, {@code java.math}, {@code java.io}, and {@code java.net.URI}). A task's lambda is
   * decoded through its capturing class, which must be allowed, like the classes of what it
   * captures, of results, exceptions, items and shared-object values.
   *
   * <p>Whatever this says, no payload may declare an array, string or collection longer than the
   * payload's own size in bytes, nest deeper than 1,000 objects or hold more references than it
   * has bytes. A refused payload fails with {@link TaskSerializationException} naming the class
   * or bound. It applies to {@link JavaSerializationCodec} and to every codec that honours {@link
   * Codec#decode(java.io.InputStream, java.io.ObjectInputFilter)}; workers get the same list.
   *
   * @return the pattern list, or null for any class
   */
  public String allowedClasses() {
    return allowedClasses;
  }

  /**
   * How long a connection to the hub may stay without a call, and how long a new one may take to
   * complete its HTTP/2 handshake, before the hub closes it (so a peer that sends nothing, sends
   * garbage, or whose calls were all refused for a wrong authkey holds no connection longer); the
   * hub also pings a connection that has been silent this long, and closes it if the ping goes
   * unanswered as long again (a busy connection is never pinged). A worker's connection always has
   * a call (its session stream). Default 15 s.
   *
   * @return the timeout
   */
  public Duration connectionTimeout() {
    return connectionTimeout;
  }

  /** Builder of {@link EngineOptions}; {@link #build()} checks every field. */
  public static final class Builder {
    private Transport transport = Transport.AUTO;
    private int maxPayloadBytes = DEFAULT_MAX_PAYLOAD_BYTES;
    private Codec codec = new JavaSerializationCodec();
    private Duration shutdownTimeout = Duration.ofSeconds(5);
    private int standbyWorkers;
    private String allowedClasses;
    private Duration connectionTimeout = Duration.ofSeconds(15);

    private Builder() {}

    /**
     * Sets {@link EngineOptions#allowedClasses()}; checked by {@link #build()}.
     *
     * @param filterPattern a non-blank pattern list, or null (the default) for any class
     * @return this builder
     */
    public Builder allowedClasses(String filterPattern) {
      this.allowedClasses = filterPattern;
      return this;
    }

    /**
     * Sets {@link EngineOptions#transport()}.
     *
     * @param transport how workers reach the hub
     * @return this builder
     * @throws NullPointerException if {@code transport} is null
     */
    public Builder transport(Transport transport) {
      this.transport = Objects.requireNonNull(transport, "transport");
      return this;
    }

    /**
     * Sets {@link EngineOptions#maxPayloadBytes()}; checked by {@link #build()}.
     *
     * @param maxPayloadBytes the limit in bytes, from 1024 to 2 GiB - 1 MiB
     * @return this builder
     */
    public Builder maxPayloadBytes(int maxPayloadBytes) {
      this.maxPayloadBytes = maxPayloadBytes;
      return this;
    }

    /**
     * Sets {@link EngineOptions#codec()}; checked by {@link #build()}.
     *
     * @param codec an instance of a public class with a public no-argument constructor
     * @return this builder
     * @throws NullPointerException if {@code codec} is null
     */
    public Builder codec(Codec codec) {
      this.codec = Objects.requireNonNull(codec, "codec");
      return this;
    }

    /**
     * Sets {@link EngineOptions#shutdownTimeout()}; checked by {@link #build()}.
     *
     * @param shutdownTimeout the timeout, not negative (zero kills at once)
     * @return this builder
     * @throws NullPointerException if {@code shutdownTimeout} is null
     */
    public Builder shutdownTimeout(Duration shutdownTimeout) {
      this.shutdownTimeout = Objects.requireNonNull(shutdownTimeout, "shutdownTimeout");
      return this;
    }

    /**
     * Sets {@link EngineOptions#standbyWorkers()}; checked by {@link #build()}.
     *
     * @param standbyWorkers the number of standby workers, 0 to 64
     * @return this builder
     */
    public Builder standbyWorkers(int standbyWorkers) {
      this.standbyWorkers = standbyWorkers;
      return this;
    }

    /**
     * Sets {@link EngineOptions#connectionTimeout()}; checked by {@link #build()}.
     *
     * @param connectionTimeout the timeout, at least 100 ms
     * @return this builder
     * @throws NullPointerException if {@code connectionTimeout} is null
     */
    public Builder connectionTimeout(Duration connectionTimeout) {
      this.connectionTimeout = Objects.requireNonNull(connectionTimeout, "connectionTimeout");
      return this;
    }

    /**
     * Checks every field and makes the options. The builder may be used again afterwards.
     *
     * @return the options
     * @throws IllegalArgumentException naming the field, if {@code standbyWorkers} is not 0 to 64,
     *     {@code maxPayloadBytes} not 1024 to 2 GiB - 1 MiB, {@code shutdownTimeout} negative,
     *     {@code connectionTimeout} under 100 ms, {@code allowedClasses} blank or not a valid
     *     pattern list, or the codec's class not public with a public no-argument constructor
     */
    public EngineOptions build() {
      if (standbyWorkers < 0 || standbyWorkers > 64) {
        throw new IllegalArgumentException("standbyWorkers must be between 0 and 64, was " + standbyWorkers);
      }
      if (maxPayloadBytes < 1024 || maxPayloadBytes > Integer.MAX_VALUE - (1 << 20)) {
        throw new IllegalArgumentException(
            "maxPayloadBytes must be between 1024 and 2 GiB - 1 MiB, was " + maxPayloadBytes);
      }
      if (shutdownTimeout.isNegative()) {
        throw new IllegalArgumentException("shutdownTimeout must not be negative, was " + shutdownTimeout);
      }
      if (connectionTimeout.compareTo(Duration.ofMillis(100)) < 0) {
        throw new IllegalArgumentException("connectionTimeout must be at least 100 ms, was " + connectionTimeout);
      }
      if (allowedClasses != null) {
        if (allowedClasses.isBlank()) {
          throw new IllegalArgumentException("allowedClasses must name at least one pattern, or be null for any class");
        }
        try {
          java.io.ObjectInputFilter.Config.createFilter(allowedClasses);
        } catch (IllegalArgumentException e) {
          throw new IllegalArgumentException("allowedClasses is not a valid filter pattern: " + e.getMessage(), e);
        }
      }
      Class<?> c = codec.getClass();
      boolean creatable = Modifier.isPublic(c.getModifiers());
      try {
        creatable &= Modifier.isPublic(c.getConstructor().getModifiers());
      } catch (NoSuchMethodException e) {
        creatable = false;
      }
      if (!creatable) {
        throw new IllegalArgumentException(
            "codec " + c.getName() + " must be a public class with a public no-argument constructor,"
                + " so that workers can create it");
      }
      return new EngineOptions(this);
    }
  }
}
