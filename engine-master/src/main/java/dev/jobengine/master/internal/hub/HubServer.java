package dev.jobengine.master.internal.hub;

import dev.jobengine.EngineOptions;
import dev.jobengine.core.wire.Marshalling;
import dev.jobengine.core.wire.Tls;
import dev.jobengine.core.wire.TransportAllocator;
import dev.jobengine.core.wire.Transports;
import io.grpc.Server;
import io.grpc.ServerInterceptors;
import io.grpc.ServerServiceDefinition;
import io.grpc.netty.NettyServerBuilder;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.epoll.EpollServerDomainSocketChannel;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.socket.nio.NioServerDomainSocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.ssl.SslContext;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The engine's gRPC server. By default on a Unix domain socket in a fresh private (0700)
 * directory (through Netty epoll, or the JDK's own sockets where native access is withheld, see
 * {@link Transports}); on TCP loopback where that is unavailable or asked for; a
 * daemon's on the TCP address it listens on, and, with TLS, on both: TLS on that address for
 * clients, the private one for its workers. Handlers run on the event loop (direct executor):
 * none of them blocks.
 */
public final class HubServer {
  private static final Logger log = LoggerFactory.getLogger(HubServer.class);
  /** sun_path holds 108 bytes; stay clear of it. */
  private static final int MAX_SOCKET_PATH = 100;

  private final Server server;
  private final Server clients; // the TLS listener, or null
  private final EventLoopGroup boss;
  private final EventLoopGroup workers;
  private final String address;
  private final String listenAddress;
  private final Path socketDir;

  private HubServer(Server server, Server clients, EventLoopGroup boss, EventLoopGroup workers, String address,
      String listenAddress, Path socketDir) {
    this.server = server;
    this.clients = clients;
    this.boss = boss;
    this.workers = workers;
    this.address = address;
    this.listenAddress = listenAddress;
    this.socketDir = socketDir;
  }

  public static HubServer start(EngineOptions options, byte[] authkey, List<ServerServiceDefinition> services) {
    return start(options, authkey, services, null);
  }

  /**
   * A hub on {@code listen} (TCP; port 0 picks one) when given, as a daemon's; else where {@code
   * options} say (a private Unix socket, or TCP on loopback).
   */
  public static HubServer start(
      EngineOptions options, byte[] authkey, List<ServerServiceDefinition> services, InetSocketAddress listen) {
    return start(options, authkey, services, listen, null);
  }

  /**
   * As {@link #start(EngineOptions, byte[], List, InetSocketAddress)}; with {@code tls} (which needs
   * {@code listen}), two listeners serve the same services: {@code listen}, over TLS, for clients
   * ({@link #listenAddress()}), and the private one of an engine without {@code listen}, plaintext,
   * for the engine's own workers ({@link #address()}).
   *
   * <p>Why not workers over TLS too: a worker would have to trust the daemon's certificate for the
   * address it dials (which may be 0.0.0.0, or an address the certificate does not name) and, with
   * client certificates required, present one signed by the clients' CA, which the daemon does not
   * have. A private listener avoids all of it, and is no weaker: a Unix socket in a 0700 directory
   * (or, where there is none, TCP on loopback), never reachable from another machine, and the
   * authkey still checked on every call.
   */
  public static HubServer start(
      EngineOptions options, byte[] authkey, List<ServerServiceDefinition> services, InetSocketAddress listen,
      Tls tls) {
    if (tls != null && listen == null) {
      throw new IllegalArgumentException("TLS needs a TCP address to listen on");
    }
    Transports.applyNettyDefaults();
    SslContext serverTls = tls == null ? null : tls.serverContext(); // bad files fail before anything starts
    // with TLS, the hub proper is the private one, for workers; the TLS listener comes on top
    InetSocketAddress own = tls == null ? listen : null;
    boolean unix = false;
    Path dir = null;
    if (own == null && options.transport() != EngineOptions.Transport.TCP && Transports.unixSocketsAvailable()) {
      try {
        dir = Files.createTempDirectory("jobengine-", PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        unix = dir.resolve("hub.sock").toString().length() <= MAX_SOCKET_PATH;
        if (!unix) {
          Files.delete(dir);
        }
      } catch (IOException | UnsupportedOperationException e) {
        log.debug("no private socket directory; using TCP", e);
      }
    }
    if (!unix && options.transport() == EngineOptions.Transport.UNIX) {
      throw new IllegalStateException("Unix domain sockets are unavailable here (they need Netty epoll, or the JDK's own where native access is withheld, and a short temp path)");
    }
    EventLoopGroup boss = Transports.newEventLoopGroup(1, "jobengine-hub-accept");
    EventLoopGroup workers = Transports.newEventLoopGroup(2, "jobengine-hub");
    NettyServerBuilder b;
    String address;
    if (unix) {
      Path socket = dir.resolve("hub.sock");
      b = NettyServerBuilder.forAddress(Transports.unixSocketAddress(socket.toString()))
          .channelType(Transports.epollAvailable() ? EpollServerDomainSocketChannel.class : NioServerDomainSocketChannel.class)
          // gRPC asks every connection for TCP keepalive, which a Unix socket has not (Netty warns)
          .withChildOption(ChannelOption.SO_KEEPALIVE, null);
      address = "unix:" + socket;
    } else {
      b = tcp(own != null ? own : new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
      address = null;
    }
    Server server = configure(b, options, authkey, services, boss, workers).build();
    Server clients = null;
    try {
      server.start();
      if (tls != null) {
        clients = configure(tcp(listen).sslContext(serverTls), options, authkey, services, boss, workers).build();
        clients.start();
      }
    } catch (IOException e) {
      server.shutdownNow();
      boss.shutdownGracefully(0, 0, TimeUnit.SECONDS);
      workers.shutdownGracefully(0, 0, TimeUnit.SECONDS);
      deleteSocketDir(unix ? dir : null);
      throw new UncheckedIOException("cannot start the hub server", e);
    }
    if (address == null) {
      InetAddress host = own != null ? own.getAddress() : InetAddress.getLoopbackAddress();
      address = "tcp:" + host.getHostAddress() + ":" + server.getPort();
    }
    String listenAddress = clients == null ? address : "tcp:" + listen.getAddress().getHostAddress() + ":" + clients.getPort();
    log.debug("hub listening on {}{}", address, clients == null ? "" : " and, over TLS, on " + listenAddress);
    return new HubServer(server, clients, boss, workers, address, listenAddress, unix ? dir : null);
  }

  private static NettyServerBuilder tcp(InetSocketAddress address) {
    return NettyServerBuilder.forAddress(address)
        .channelType(Transports.epollAvailable() ? EpollServerSocketChannel.class : NioServerSocketChannel.class);
  }

  private static NettyServerBuilder configure(NettyServerBuilder b, EngineOptions options, byte[] authkey,
      List<ServerServiceDefinition> services, EventLoopGroup boss, EventLoopGroup workers) {
    AuthInterceptor auth = new AuthInterceptor(authkey);
    for (ServerServiceDefinition service : services) {
      b.addService(ServerInterceptors.intercept(Marshalling.fast(service), auth));
    }
    long bound = options.connectionTimeout().toMillis();
    return b.bossEventLoopGroup(boss)
        .workerEventLoopGroup(workers)
        .withChildOption(ChannelOption.ALLOCATOR, TransportAllocator.INSTANCE)
        .directExecutor()
        // connection bounds: a peer that never completes HTTP/2 (nor TLS), or holds a connection
        // without a call (its calls refused, say), is closed after the bound; a silent connection is
        // pinged (gRPC pings only after keepAliveTime without any read), an unanswered ping closes it
        .handshakeTimeout(bound, TimeUnit.MILLISECONDS)
        .maxConnectionIdle(bound, TimeUnit.MILLISECONDS)
        .keepAliveTime(bound, TimeUnit.MILLISECONDS)
        .keepAliveTimeout(bound, TimeUnit.MILLISECONDS)
        .permitKeepAliveTime(Transports.KEEPALIVE_TIME.toMillis() / 2, TimeUnit.MILLISECONDS)
        .permitKeepAliveWithoutCalls(true)
        .maxInboundMessageSize(options.maxPayloadBytes() + Transports.ENVELOPE_BYTES)
        .flowControlWindow(Transports.FLOW_CONTROL_WINDOW);
  }

  /** Where the engine's workers connect: {@code unix:/path} or {@code tcp:host:port}. */
  public String address() {
    return address;
  }

  /**
   * Where clients connect, {@code tcp:host:port}: the TLS listener if there is one, else {@link
   * #address()}.
   */
  public String listenAddress() {
    return listenAddress;
  }

  /** Removes the socket and its private directory at once (the JVM is exiting), without stopping anything. */
  public void deleteSocketDirectory() {
    deleteSocketDir(socketDir);
  }

  public void shutdown(Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    if (clients != null) {
      clients.shutdown();
    }
    server.shutdown();
    if (clients != null) {
      awaitTermination(clients, deadline);
    }
    awaitTermination(server, deadline);
    workers.shutdownGracefully(0, 1, TimeUnit.SECONDS).awaitUninterruptibly(2, TimeUnit.SECONDS);
    boss.shutdownGracefully(0, 1, TimeUnit.SECONDS).awaitUninterruptibly(2, TimeUnit.SECONDS);
    deleteSocketDir(socketDir);
  }

  private static void deleteSocketDir(Path socketDir) {
    if (socketDir != null) {
      try {
        Files.deleteIfExists(socketDir.resolve("hub.sock"));
        Files.deleteIfExists(socketDir);
      } catch (IOException e) {
        log.warn("could not delete {}", socketDir, e);
      }
    }
  }

  private static void awaitTermination(Server s, long deadline) {
    try {
      if (!s.awaitTermination(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS)) {
        s.shutdownNow();
        s.awaitTermination(1, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      s.shutdownNow();
    }
  }
}
