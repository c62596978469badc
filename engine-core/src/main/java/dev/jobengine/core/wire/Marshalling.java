package dev.jobengine.core.wire;

import com.google.protobuf.CodedInputStream;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.MessageLite;
import com.google.protobuf.UnsafeByteOperations;
import io.grpc.CallOptions;
import io.grpc.Channel;
import io.grpc.ClientCall;
import io.grpc.ClientInterceptor;
import io.grpc.KnownLength;
import io.grpc.MethodDescriptor;
import io.grpc.ServerMethodDefinition;
import io.grpc.ServerServiceDefinition;
import io.grpc.Status;
import java.io.IOException;
import java.io.InputStream;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Protobuf marshalling for large messages. gRPC's own marshaller parses a message above 4 MiB
 * from a stream, copying every bytes field chunk by chunk and then once more to join the chunks;
 * this one reads a message of known length into one array and parses it with aliasing, so a
 * payload's bytes are copied out of the transport once and then shared by the parsed message. The
 * array belongs to that message alone. Writing is gRPC's.
 */
public final class Marshalling {
  private static final Map<MethodDescriptor<?, ?>, MethodDescriptor<?, ?>> FAST = new ConcurrentHashMap<>();

  private Marshalling() {}

  /** Makes every call on a channel use these marshallers. */
  public static ClientInterceptor clientInterceptor() {
    return new ClientInterceptor() {
      @Override
      public <Q, S> ClientCall<Q, S> interceptCall(MethodDescriptor<Q, S> method, CallOptions options, Channel next) {
        return next.newCall(fast(method), options);
      }
    };
  }

  /** The same service with these marshallers. */
  public static ServerServiceDefinition fast(ServerServiceDefinition service) {
    ServerServiceDefinition.Builder b = ServerServiceDefinition.builder(service.getServiceDescriptor().getName());
    for (ServerMethodDefinition<?, ?> m : service.getMethods()) {
      b.addMethod(fast(m));
    }
    return b.build();
  }

  private static <Q, S> ServerMethodDefinition<Q, S> fast(ServerMethodDefinition<Q, S> m) {
    return ServerMethodDefinition.create(fast(m.getMethodDescriptor()), m.getServerCallHandler());
  }

  @SuppressWarnings("unchecked")
  static <Q, S> MethodDescriptor<Q, S> fast(MethodDescriptor<Q, S> method) {
    return (MethodDescriptor<Q, S>) FAST.computeIfAbsent(method, m -> method.toBuilder(
        wrap(method.getRequestMarshaller()), wrap(method.getResponseMarshaller())).build());
  }

  @SuppressWarnings("unchecked")
  private static <T> MethodDescriptor.Marshaller<T> wrap(MethodDescriptor.Marshaller<T> m) {
    if (m instanceof MethodDescriptor.PrototypeMarshaller<T> p && p.getMessagePrototype() instanceof MessageLite proto) {
      return (MethodDescriptor.Marshaller<T>) new AliasingMarshaller<>(
          (MethodDescriptor.PrototypeMarshaller<MessageLite>) p, proto);
    }
    return m;
  }

  /** Above this size a message is parsed from one array, with aliasing; below, gRPC's way. */
  static final int LARGE = 64 << 10;

  static final class AliasingMarshaller<T extends MessageLite> implements MethodDescriptor.PrototypeMarshaller<T> {
    private final MethodDescriptor.PrototypeMarshaller<T> delegate;
    private final T prototype;

    AliasingMarshaller(MethodDescriptor.PrototypeMarshaller<T> delegate, T prototype) {
      this.delegate = delegate;
      this.prototype = prototype;
    }

    @Override
    public T getMessagePrototype() {
      return prototype;
    }

    @Override
    public Class<T> getMessageClass() {
      return delegate.getMessageClass();
    }

    @Override
    public InputStream stream(T value) {
      return delegate.stream(value);
    }

    @Override
    @SuppressWarnings("unchecked")
    public T parse(InputStream stream) {
      try {
        int size = stream instanceof KnownLength ? stream.available() : -1;
        if (size < LARGE) {
          return delegate.parse(stream);
        }
        byte[] bytes = new byte[size];
        int n = stream.readNBytes(bytes, 0, size);
        if (n != size || stream.read() != -1) {
          throw Status.INTERNAL.withDescription("message length differs from its frame").asRuntimeException();
        }
        // a wrapped array counts as immutable: only then does aliasing share it (newInstance(byte[]) copies each field)
        CodedInputStream in = UnsafeByteOperations.unsafeWrap(bytes).newCodedInput();
        in.enableAliasing(true);
        in.setSizeLimit(Integer.MAX_VALUE);
        T message = (T) prototype.getParserForType().parseFrom(in);
        in.checkLastTagWas(0);
        return message;
      } catch (InvalidProtocolBufferException e) {
        throw Status.INTERNAL.withDescription("invalid protobuf byte sequence").withCause(e).asRuntimeException();
      } catch (IOException e) {
        throw Status.INTERNAL.withDescription("cannot read a message").withCause(e).asRuntimeException();
      }
    }
  }
}
