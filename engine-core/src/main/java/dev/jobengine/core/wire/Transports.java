package dev.jobengine.core.wire;

import dev.jobengine.core.NamedThreadFactory;
import io.grpc.ClientInterceptor;
import io.grpc.ManagedChannel;
import io.grpc.netty.NettyChannelBuilder;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollDomainSocketChannel;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioDomainSocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.channel.unix.DomainSocketAddress;
import io.netty.util.internal.NativeLibraryLoader;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.UnixDomainSocketAddress;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * Hub addresses and the Netty plumbing behind them. An address is {@code unix:/path/to/hub.sock}
 * (Unix domain socket) or {@code tcp:host:port}.
 *
 * <p>Netty's native transport (epoll) serves both where this JVM lets Netty load native code:
 * always before JDK 22, and on later JDKs with {@code --enable-native-access} (or a jar's {@code
 * Enable-Native-Access} manifest entry; workers get the option). Without it, loading the library
 * would print the JDK's restricted-method warning on the application's console, so Netty is not
 * asked to: Unix domain sockets then go through the JDK's own (NIO) and TCP through NIO.
 */
public final class Transports {
  /**
   * HTTP/2 flow-control window: a 16 MiB payload fits in it whole, so it is not stalled waiting for
   * window updates (measured: 16 MiB results come back 1.2-1.5x faster than with 8 MiB).
   */
  public static final int FLOW_CONTROL_WINDOW = 32 << 20;

  /** Extra room above the payload limit for the message envelope. */
  public static final int ENVELOPE_BYTES = 1 << 20;

  /**
   * Netty's allocator events for Java Flight Recorder: registering them costs a fresh JVM 100-150
   * ms on the way to its first message (and they cannot be kept in a class-data archive).
   */
  public static final String NETTY_JFR_PROPERTY = "io.netty.jfr.enabled";

  /**
   * Netty's switch for its native transports (epoll and the rest), under Netty's package prefix
   * wherever Netty's classes live.
   */
  static final String NETTY_NO_NATIVE_PROPERTY =
      NativeLibraryLoader.class.getPackageName().replaceFirst("util\\.internal$", "") + "transport.noNative";

  private Transports() {}

  /**
   * Netty settings this engine's processes use unless set explicitly: no JFR allocator events;
   * no DEBUG from a relocated Netty ({@link NettyLogging});
   * and, where the JDK withholds native access from Netty (JDK 22 and later without {@code
   * --enable-native-access}), no native transport, so that neither gRPC's check for epoll nor
   * ours loads the library and the JDK prints no warning. Call before Netty's first use in the
   * process.
   */
  public static void applyNettyDefaults() {
    if (System.getProperty(NETTY_JFR_PROPERTY) == null) {
      System.setProperty(NETTY_JFR_PROPERTY, "false");
    }
    if (System.getProperty(NETTY_NO_NATIVE_PROPERTY) == null && !nativeAccessEnabled()) {
      System.setProperty(NETTY_NO_NATIVE_PROPERTY, "true");
    }
    NettyLogging.quietUnlessAsked();
  }

  /** Decided on first use, after {@link #applyNettyDefaults()}: asking epoll initialises Netty. */
  private static final class Native {
    static {
      applyNettyDefaults();
    }

    static final boolean ACCESS = nativeAccessEnabled();
    static final boolean EPOLL = ACCESS && Epoll.isAvailable();
  }

  /**
   * Whether the JDK lets Netty's code call restricted methods (load a native library) without a
   * warning. {@code Module.isNativeAccessEnabled} exists from JDK 22, the first to restrict them.
   */
  static boolean nativeAccessEnabled() {
    try {
      Object enabled = Module.class.getMethod("isNativeAccessEnabled").invoke(NativeLibraryLoader.class.getModule());
      return Boolean.TRUE.equals(enabled);
    } catch (NoSuchMethodException e) {
      return true;
    } catch (ReflectiveOperationException | RuntimeException e) {
      return true; // as before the check existed: let Netty decide
    }
  }

  /** Whether the epoll transport is used: it loads, and without a warning (see the class comment). */
  public static boolean epollAvailable() {
    return Native.EPOLL;
  }

  /**
   * Whether this process can serve and dial {@code unix:} addresses: with epoll, or with the JDK's
   * own Unix domain sockets where native access is withheld.
   */
  public static boolean unixSocketsAvailable() {
    return Native.EPOLL || !Native.ACCESS;
  }

  /** The socket address of a Unix domain socket at {@code path}, as this process's transport takes it. */
  public static SocketAddress unixSocketAddress(String path) {
    return epollAvailable() ? new DomainSocketAddress(path) : UnixDomainSocketAddress.of(path);
  }

  /** An event loop group on epoll when available, else NIO; threads named {@code name-N}, daemon. */
  public static EventLoopGroup newEventLoopGroup(int threads, String name) {
    NamedThreadFactory factory = new NamedThreadFactory(name, true);
    return epollAvailable()
        ? new MultiThreadIoEventLoopGroup(threads, factory, EpollIoHandler.newFactory())
        : new MultiThreadIoEventLoopGroup(threads, factory, NioIoHandler.newFactory());
  }

  /**
   * How long a worker's channel may hear nothing from the master before it pings, and how long it
   * waits for the answer before it drops the connection (and the worker ends, as when the master
   * is gone). gRPC allows clients no less than 10 s; the hub permits pings twice as often.
   */
  public static final Duration KEEPALIVE_TIME = Duration.ofSeconds(20);

  /** See {@link #KEEPALIVE_TIME}. */
  public static final Duration KEEPALIVE_TIMEOUT = Duration.ofSeconds(20);

  /** A plaintext channel to {@code address}, presenting the auth token on every call. */
  public static ManagedChannel channel(
      String address, EventLoopGroup group, int maxPayloadBytes, byte[] authkey) {
    return channel(address, group, maxPayloadBytes, authkey, null);
  }

  /**
   * A channel to {@code address}, presenting the auth token on every call: over TLS with {@code
   * tls}'s client settings (the server's certificate must match the address's host), plaintext if
   * {@code tls} is null.
   */
  public static ManagedChannel channel(
      String address, EventLoopGroup group, int maxPayloadBytes, byte[] authkey, Tls tls) {
    return channelWithToken(address, group, maxPayloadBytes, AuthToken.token(authkey), tls);
  }

  /**
   * As {@link #channel(String, EventLoopGroup, int, byte[], Tls)}, presenting {@code token} (see
   * {@link AuthToken#token}): what a worker the master started is handed, so that it needs neither
   * the authkey nor the JDK's cryptography (loading its providers took a fresh JVM ~30-60 ms).
   */
  public static ManagedChannel channelWithToken(
      String address, EventLoopGroup group, int maxPayloadBytes, byte[] token, Tls tls) {
    NettyChannelBuilder b;
    if (address.startsWith("unix:")) {
      if (!unixSocketsAvailable()) {
        throw new IllegalStateException("Unix domain sockets are unavailable here");
      }
      b =
          NettyChannelBuilder.forAddress(unixSocketAddress(address.substring("unix:".length())))
              .channelType(epollAvailable() ? EpollDomainSocketChannel.class : NioDomainSocketChannel.class)
              // gRPC asks every channel for TCP keepalive, which a Unix socket has not (Netty warns)
              .withOption(ChannelOption.SO_KEEPALIVE, null);
    } else if (address.startsWith("tcp:")) {
      String hostPort = address.substring("tcp:".length());
      int colon = hostPort.lastIndexOf(':');
      b =
          NettyChannelBuilder.forAddress(
                  new InetSocketAddress(
                      hostPort.substring(0, colon), Integer.parseInt(hostPort.substring(colon + 1))))
              .channelType(epollAvailable() ? EpollSocketChannel.class : NioSocketChannel.class);
    } else {
      throw new IllegalArgumentException("hub address must start with unix: or tcp:, was " + address);
    }
    ClientInterceptor auth = AuthToken.clientInterceptor(token);
    if (tls == null) {
      b.usePlaintext();
    } else {
      b.sslContext(tls.clientContext());
    }
    return b.eventLoopGroup(group)
        .withOption(ChannelOption.ALLOCATOR, TransportAllocator.INSTANCE)
        .disableRetry() // streams are never retried; this also spares every message a retry buffer
        .directExecutor()
        .maxInboundMessageSize(maxPayloadBytes + ENVELOPE_BYTES)
        .flowControlWindow(FLOW_CONTROL_WINDOW)
        .keepAliveTime(KEEPALIVE_TIME.toMillis(), TimeUnit.MILLISECONDS)
        .keepAliveTimeout(KEEPALIVE_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)
        .intercept(auth, Marshalling.clientInterceptor())
        .build();
  }
}
