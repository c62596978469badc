package dev.jobengine.master.cli;

import dev.jobengine.EngineOptions;
import dev.jobengine.core.wire.Transports;
import dev.jobengine.proto.AdminGrpc;
import dev.jobengine.proto.StatusReply;
import dev.jobengine.proto.StatusRequest;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.netty.channel.EventLoopGroup;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.net.ConnectException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.ZoneId;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code jobengine status}: asks a daemon what it runs and holds (its workers, pools, clients and
 * shared objects) and prints it as tables, or as one JSON object with {@code --json}. Exits 0; 1
 * with a one-line reason when there is no daemon, it refuses the key, or it does not answer in
 * time; 2 for a malformed address.
 */
@Command(name = "status", mixinStandardHelpOptions = true,
    description = "Print what a daemon runs and holds: its workers, pools, clients and shared objects.")
final class StatusCommand implements Callable<Integer> {
  /** A key file larger than this is not a key file (as Engine.connect reads it). */
  private static final int MAX_KEY_BYTES = 4096;

  @Option(names = "--connect", required = true, paramLabel = "HOST:PORT", description = "the daemon's address")
  String connect;

  @Option(names = "--authkey-file", required = true, paramLabel = "FILE", description = "the daemon's key file")
  Path authkeyFile;

  @Option(names = "--json", description = "one JSON object with the keys workers, pools, clients, objects")
  boolean json;

  @Option(names = "--timeout", paramLabel = "SECONDS", description = "how long to wait for the answer (default: ${DEFAULT-VALUE})")
  long timeoutSeconds = 10;

  @Override
  public Integer call() {
    PrintStream err = System.err;
    String target = connect.startsWith("tcp:") ? connect.substring("tcp:".length()) : connect;
    int colon = target.lastIndexOf(':');
    if (colon <= 0 || !target.substring(colon + 1).matches("[0-9]{1,5}")) {
      err.println("jobengine status: --connect takes host:port, was " + connect);
      return 2;
    }
    if (timeoutSeconds <= 0) {
      err.println("jobengine status: --timeout must be positive, was " + timeoutSeconds);
      return 2;
    }
    byte[] key;
    try {
      key = readKey(authkeyFile);
    } catch (IllegalArgumentException e) {
      err.println("jobengine status: " + e.getMessage());
      return 1;
    }
    StatusReply reply;
    try {
      reply = fetch(target, key);
    } catch (StatusRuntimeException e) {
      err.println("jobengine status: " + explain(e.getStatus(), target));
      return 1;
    } catch (RuntimeException e) {
      err.println("jobengine status: cannot ask the daemon at " + target + ": " + e.getMessage());
      return 1;
    }
    PrintStream out = System.out;
    if (json) {
      out.println(StatusJson.write(reply));
    } else {
      out.print(StatusTable.render(reply, ZoneId.systemDefault()));
    }
    out.flush();
    return 0;
  }

  /** One Status call over a channel of its own, set up as a client engine's. */
  private StatusReply fetch(String target, byte[] key) {
    Transports.applyNettyDefaults();
    EventLoopGroup group = Transports.newEventLoopGroup(1, "jobengine-status-io");
    ManagedChannel channel = null;
    try {
      channel = Transports.channel("tcp:" + target, group, EngineOptions.defaults().maxPayloadBytes(), key);
      return AdminGrpc.newBlockingStub(channel)
          .withDeadlineAfter(timeoutSeconds, TimeUnit.SECONDS)
          .status(StatusRequest.getDefaultInstance());
    } finally {
      if (channel != null) {
        channel.shutdownNow();
        try {
          channel.awaitTermination(1, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }
      group.shutdownGracefully(0, 1, TimeUnit.SECONDS).awaitUninterruptibly(2, TimeUnit.SECONDS);
    }
  }

  /** Why the call failed, in one line. */
  String explain(Status status, String target) {
    return switch (status.getCode()) {
      case UNAUTHENTICATED -> "the daemon at " + target + " refused the key in " + authkeyFile + " (wrong authkey)";
      case UNAVAILABLE -> "no daemon answers at " + target + " (" + reason(status) + ")";
      case DEADLINE_EXCEEDED -> "no answer from " + target + " within " + timeoutSeconds + " s (is a jobengine daemon listening there?)";
      case UNIMPLEMENTED -> "the server at " + target + " does not answer status: not a jobengine daemon, or an older one";
      default -> "the daemon at " + target + " failed the call: " + status.getCode() + " " + reason(status);
    };
  }

  /** "connection refused", else the innermost cause's message, else the status's description. */
  private static String reason(Status status) {
    Throwable cause = status.getCause();
    String message = null;
    while (cause != null) {
      if (cause instanceof ConnectException
          || (cause.getMessage() != null && cause.getMessage().contains("Connection refused"))) {
        return "connection refused";
      }
      if (cause.getMessage() != null) {
        message = cause.getMessage();
      }
      cause = cause.getCause();
    }
    if (message == null) {
      message = status.getDescription();
    }
    return message == null ? status.getCode().toString() : message;
  }

  /** The key file's content, trimmed, as Engine.connect reads it. */
  static byte[] readKey(Path file) {
    byte[] content;
    try (InputStream in = Files.newInputStream(file)) {
      content = in.readNBytes(MAX_KEY_BYTES + 1);
    } catch (NoSuchFileException e) {
      throw new IllegalArgumentException("the authkey file " + file + " does not exist", e);
    } catch (IOException e) {
      throw new IllegalArgumentException("cannot read the authkey file " + file + ": " + e, e);
    }
    if (content.length > MAX_KEY_BYTES) {
      throw new IllegalArgumentException("the authkey file " + file + " is over " + MAX_KEY_BYTES + " bytes: not a key");
    }
    String key = new String(content, StandardCharsets.UTF_8).trim();
    if (key.isEmpty()) {
      throw new IllegalArgumentException("the authkey file " + file + " is empty");
    }
    return key.getBytes(StandardCharsets.UTF_8);
  }
}
