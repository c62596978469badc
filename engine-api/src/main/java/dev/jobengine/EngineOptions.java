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

  private EngineOptions(Builder b) {
    this.transport = b.transport;
    this.maxPayloadBytes = b.maxPayloadBytes;
    this.codec = b.codec;
    this.shutdownTimeout = b.shutdownTimeout;
    this.standbyWorkers = b.standbyWorkers;
  }

  public static EngineOptions defaults() {
    return builder().build();
  }

  public static Builder builder() {
    return new Builder();
  }

  /** Default {@link Transport#AUTO}. */
  public Transport transport() {
    return transport;
  }

  /** Largest encoded task, item chunk or result, in bytes. Default 256 MiB. */
  public int maxPayloadBytes() {
    return maxPayloadBytes;
  }

  /** Default {@link JavaSerializationCodec}. */
  public Codec codec() {
    return codec;
  }

  /** How long closing waits for a worker to exit before killing it. Default 5 s. */
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
   */
  public int standbyWorkers() {
    return standbyWorkers;
  }

  /** Builder of {@link EngineOptions}; {@link #build()} checks every field. */
  public static final class Builder {
    private Transport transport = Transport.AUTO;
    private int maxPayloadBytes = DEFAULT_MAX_PAYLOAD_BYTES;
    private Codec codec = new JavaSerializationCodec();
    private Duration shutdownTimeout = Duration.ofSeconds(5);
    private int standbyWorkers;

    private Builder() {}

    public Builder transport(Transport transport) {
      this.transport = Objects.requireNonNull(transport, "transport");
      return this;
    }

    public Builder maxPayloadBytes(int maxPayloadBytes) {
      this.maxPayloadBytes = maxPayloadBytes;
      return this;
    }

    public Builder codec(Codec codec) {
      this.codec = Objects.requireNonNull(codec, "codec");
      return this;
    }

    public Builder shutdownTimeout(Duration shutdownTimeout) {
      this.shutdownTimeout = Objects.requireNonNull(shutdownTimeout, "shutdownTimeout");
      return this;
    }

    /** See {@link EngineOptions#standbyWorkers()}; 0 to 64. */
    public Builder standbyWorkers(int standbyWorkers) {
      this.standbyWorkers = standbyWorkers;
      return this;
    }

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
