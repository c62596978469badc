package dev.jobengine.master.internal.code;

import com.google.protobuf.ByteString;
import dev.jobengine.proto.ClassesGrpc;
import dev.jobengine.proto.ResourceReply;
import dev.jobengine.proto.ResourceRequest;
import io.grpc.Status;
import io.grpc.stub.StreamObserver;
import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@code Classes} service: the bytes of the classes and resources of a lease's loaders whose
 * classes are in no file (a single-file program's in-memory classes, a framework's own loader),
 * for that lease's workers as they ask. Only the loaders a lease was opened with, or that loaded
 * one of its tasks, are asked; a resource over {@code limit} bytes is refused.
 */
public final class ServedClasses extends ClassesGrpc.ClassesImplBase {
  private static final Logger log = LoggerFactory.getLogger(ServedClasses.class);
  private static final int MAX_NAME_CHARS = 4096;

  private final Map<String, List<ClassLoader>> leases = new ConcurrentHashMap<>();
  private final int limit;

  public ServedClasses(int limit) {
    this.limit = limit;
  }

  /** {@code lease}'s workers may ask for what {@code loaders} hold (none: nothing to register). */
  public void register(String lease, List<ClassLoader> loaders) {
    if (!loaders.isEmpty()) {
      leases.put(lease, new CopyOnWriteArrayList<>(loaders));
    }
  }

  /** Whether {@code lease} has loaders registered. */
  public boolean serves(String lease) {
    return leases.containsKey(lease);
  }

  /** Adds {@code loader}, which loaded a task of {@code lease}, if the lease is served and it is new. */
  public void add(String lease, ClassLoader loader) {
    List<ClassLoader> l = leases.get(lease);
    if (l != null && loader != null && !l.contains(loader)) {
      l.add(loader);
    }
  }

  /** {@code lease} has ended. */
  public void remove(String lease) {
    leases.remove(lease);
  }

  @Override
  public void resource(ResourceRequest request, StreamObserver<ResourceReply> reply) {
    String name = request.getName();
    List<ClassLoader> loaders = leases.get(request.getLease());
    if (loaders == null) {
      reply.onError(Status.NOT_FOUND.withDescription("no lease " + request.getLease() + " serves classes")
          .asRuntimeException());
      return;
    }
    if (name.isEmpty() || name.length() > MAX_NAME_CHARS || name.startsWith("/")) {
      reply.onError(Status.INVALID_ARGUMENT.withDescription("not a resource name").asRuntimeException());
      return;
    }
    for (ClassLoader loader : loaders) {
      try (InputStream in = loader.getResourceAsStream(name)) {
        if (in == null) {
          continue;
        }
        byte[] data = in.readNBytes(limit + 1);
        if (data.length > limit) {
          reply.onError(Status.RESOURCE_EXHAUSTED.withDescription(name + " is over " + limit + " bytes")
              .asRuntimeException());
          return;
        }
        reply.onNext(ResourceReply.newBuilder().setFound(true).setData(ByteString.copyFrom(data)).build());
        reply.onCompleted();
        return;
      } catch (IOException | RuntimeException e) {
        log.debug("reading {} from {}", name, loader, e);
      }
    }
    reply.onNext(ResourceReply.getDefaultInstance());
    reply.onCompleted();
  }
}
