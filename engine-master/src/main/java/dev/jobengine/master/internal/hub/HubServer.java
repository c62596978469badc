package dev.jobengine.master.internal.hub;

import dev.jobengine.EngineOptions;
import dev.jobengine.core.wire.Marshalling;
import dev.jobengine.core.wire.Transports;
import io.grpc.Server;
import io.grpc.ServerInterceptors;
import io.grpc.ServerServiceDefinition;
import io.grpc.netty.NettyServerBuilder;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.epoll.EpollServerDomainSocketChannel;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.unix.DomainSocketAddress;
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
 * The engine's one gRPC server. By default on a Unix domain socket in a fresh private (0700)
 * directory through Netty epoll; on TCP loopback where that is unavailable or asked for. Handlers
 * run on the event loop (direct executor): none of them blocks.
 */
public final class HubServer {
  private static final Logger log = LoggerFactory.getLogger(HubServer.class);
  /** sun_path holds 108 bytes; stay clear of it. */
  private static final int MAX_SOCKET_PATH = 100;

  private final Server server;
  private final EventLoopGroup boss;
  private final EventLoopGroup workers;
  private final String address;
  private final Path socketDir;

  private HubServer(Server server, EventLoopGroup boss, EventLoopGroup workers, String address, Path socketDir) {
    this.server = server;
    this.boss = boss;
    this.workers = workers;
    this.address = address;
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
    Transports.applyNettyDefaults();
    boolean unix = false;
    Path dir = null;
    if (listen == null && options.transport() != EngineOptions.Transport.TCP && Transports.epollAvailable()) {
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
      throw new IllegalStateException("Unix domain sockets are unavailable here (need Linux with Netty epoll and a short temp path)");
    }
    EventLoopGroup boss = Transports.newEventLoopGroup(1, "jobengine-hub-accept");
    EventLoopGroup workers = Transports.newEventLoopGroup(2, "jobengine-hub");
    NettyServerBuilder b;
    String address;
    if (unix) {
      Path socket = dir.resolve("hub.sock");
      b = NettyServerBuilder.forAddress(new DomainSocketAddress(socket.toString()))
          .channelType(EpollServerDomainSocketChannel.class);
      address = "unix:" + socket;
    } else {
      b = NettyServerBuilder.forAddress(listen != null ? listen : new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))
          .channelType(Transports.epollAvailable() ? EpollServerSocketChannel.class : NioServerSocketChannel.class);
      address = null;
    }
    AuthInterceptor auth = new AuthInterceptor(authkey);
    for (ServerServiceDefinition service : services) {
      b.addService(ServerInterceptors.intercept(Marshalling.fast(service), auth));
    }
    long bound = options.connectionTimeout().toMillis();
    Server server = b.bossEventLoopGroup(boss)
        .workerEventLoopGroup(workers)
        .directExecutor()
        // connection bounds: a peer that never completes HTTP/2, or holds a connection without a
        // call (its calls refused, say), is closed after the bound; a silent connection is pinged
        // (gRPC pings only after keepAliveTime without any read), an unanswered ping closes it
        .handshakeTimeout(bound, TimeUnit.MILLISECONDS)
        .maxConnectionIdle(bound, TimeUnit.MILLISECONDS)
        .keepAliveTime(bound, TimeUnit.MILLISECONDS)
        .keepAliveTimeout(bound, TimeUnit.MILLISECONDS)
        .permitKeepAliveTime(Transports.KEEPALIVE_TIME.toMillis() / 2, TimeUnit.MILLISECONDS)
        .permitKeepAliveWithoutCalls(true)
        .maxInboundMessageSize(options.maxPayloadBytes() + Transports.ENVELOPE_BYTES)
        .flowControlWindow(Transports.FLOW_CONTROL_WINDOW)
        .build();
    try {
      server.start();
    } catch (IOException e) {
      boss.shutdownGracefully(0, 0, TimeUnit.SECONDS);
      workers.shutdownGracefully(0, 0, TimeUnit.SECONDS);
      throw new UncheckedIOException("cannot start the hub server", e);
    }
    if (address == null) {
      InetAddress host = listen != null ? listen.getAddress() : InetAddress.getLoopbackAddress();
      address = "tcp:" + host.getHostAddress() + ":" + server.getPort();
    }
    log.debug("hub listening on {}", address);
    return new HubServer(server, boss, workers, address, unix ? dir : null);
  }

  /** {@code unix:/path} or {@code tcp:host:port}. */
  public String address() {
    return address;
  }

  public void shutdown(Duration timeout) {
    server.shutdown();
    try {
      if (!server.awaitTermination(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
        server.shutdownNow();
        server.awaitTermination(1, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      server.shutdownNow();
    }
    workers.shutdownGracefully(0, 1, TimeUnit.SECONDS).awaitUninterruptibly(2, TimeUnit.SECONDS);
    boss.shutdownGracefully(0, 1, TimeUnit.SECONDS).awaitUninterruptibly(2, TimeUnit.SECONDS);
    if (socketDir != null) {
      try {
        Files.deleteIfExists(socketDir.resolve("hub.sock"));
        Files.deleteIfExists(socketDir);
      } catch (IOException e) {
        log.warn("could not delete {}", socketDir, e);
      }
    }
  }
}
