package dev.jobengine.master.internal.code;

import com.google.protobuf.ByteString;
import dev.jobengine.core.code.Artifacts;
import dev.jobengine.proto.Artifact;
import dev.jobengine.proto.ArtifactChunk;
import dev.jobengine.proto.ArtifactList;
import dev.jobengine.proto.CodeGrpc;
import io.grpc.Status;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Code service on the hub: which artifacts are missing, uploads (each checked against its
 * size and hash before it is stored) and fetches (sent a chunk at a time as the receiver is ready,
 * so a large jar is never held in memory). Every size read from the wire is bounded by {@link
 * Artifacts#MAX_ARTIFACT_BYTES}; a call that breaks a bound or does not match is refused with
 * INVALID_ARGUMENT and stores nothing.
 */
public final class CodeGrpcService extends CodeGrpc.CodeImplBase {
  private static final Logger log = LoggerFactory.getLogger(CodeGrpcService.class);

  private final CodeStore store;

  public CodeGrpcService(CodeStore store) {
    this.store = store;
  }

  @Override
  public void missing(ArtifactList request, StreamObserver<ArtifactList> out) {
    if (request.getArtifactsCount() > Artifacts.MAX_ARTIFACTS) {
      out.onError(Status.INVALID_ARGUMENT.withDescription("over " + Artifacts.MAX_ARTIFACTS + " artifacts").asRuntimeException());
      return;
    }
    ArtifactList.Builder missing = ArtifactList.newBuilder();
    for (Artifact a : request.getArtifactsList()) {
      if (!Artifacts.valid(a)) {
        out.onError(Status.INVALID_ARGUMENT.withDescription("not an artifact: " + a.getName()).asRuntimeException());
        return;
      }
      if (!store.has(a)) {
        missing.addArtifacts(a);
      }
    }
    out.onNext(missing.build());
    out.onCompleted();
  }

  @Override
  public StreamObserver<ArtifactChunk> upload(StreamObserver<ArtifactList> out) {
    return new Upload(out);
  }

  /** One upload call: artifacts one after another, each written to a temporary file first. */
  private final class Upload implements StreamObserver<ArtifactChunk> {
    private final StreamObserver<ArtifactList> out;
    private final ArtifactList.Builder stored = ArtifactList.newBuilder();
    private Artifact current;
    private Path tmp;
    private OutputStream file;
    private MessageDigest sha;
    private long size;
    private boolean failed;

    Upload(StreamObserver<ArtifactList> out) {
      this.out = out;
    }

    @Override
    public void onNext(ArtifactChunk chunk) {
      if (failed) {
        return;
      }
      try {
        if (chunk.hasArtifact()) {
          finish();
          Artifact a = chunk.getArtifact();
          if (!Artifacts.valid(a)) {
            throw new IllegalArgumentException("not an artifact: " + a.getName() + " (" + a.getSha256() + ", " + a.getSize() + " bytes)");
          }
          current = a;
          tmp = Files.createTempFile(store.directory(), a.getSha256(), ".part");
          file = Files.newOutputStream(tmp);
          sha = Artifacts.sha256();
          size = 0;
        }
        if (current == null) {
          throw new IllegalArgumentException("a chunk before any artifact");
        }
        ByteString data = chunk.getData();
        size += data.size();
        if (size > current.getSize()) {
          throw new IllegalArgumentException(current.getName() + " is longer than the " + current.getSize() + " bytes announced");
        }
        data.writeTo(file);
        sha.update(data.asReadOnlyByteBuffer());
      } catch (IOException | RuntimeException e) {
        fail(e);
      }
    }

    /** Checks and stores the artifact under way, if any. */
    private void finish() throws IOException {
      if (current == null) {
        return;
      }
      file.close();
      file = null;
      String got = Artifacts.hex(sha.digest());
      if (size != current.getSize() || !got.equals(current.getSha256())) {
        throw new IllegalArgumentException(current.getName() + " does not match: " + size + " bytes, sha256 " + got);
      }
      Files.move(tmp, store.file(current), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      tmp = null;
      log.debug("stored {} ({} bytes)", current.getName(), size);
      stored.addArtifacts(current);
      current = null;
    }

    private void fail(Exception e) {
      failed = true;
      discard();
      log.warn("refused an upload: {}", e.getMessage());
      out.onError(Status.INVALID_ARGUMENT.withDescription(e.getMessage()).asRuntimeException());
    }

    private void discard() {
      try {
        if (file != null) {
          file.close();
        }
        if (tmp != null) {
          Files.deleteIfExists(tmp);
        }
      } catch (IOException e) {
        log.debug("could not discard {}", tmp, e);
      }
      file = null;
      tmp = null;
      current = null;
    }

    @Override
    public void onError(Throwable t) {
      discard();
    }

    @Override
    public void onCompleted() {
      if (failed) {
        return;
      }
      try {
        finish();
      } catch (IOException | RuntimeException e) {
        fail(e);
        return;
      }
      out.onNext(stored.build());
      out.onCompleted();
    }
  }

  @Override
  public void fetch(Artifact a, StreamObserver<ArtifactChunk> responses) {
    ServerCallStreamObserver<ArtifactChunk> out = (ServerCallStreamObserver<ArtifactChunk>) responses;
    if (!store.has(a)) {
      out.onError(Status.NOT_FOUND.withDescription("no artifact " + a.getName() + " (" + a.getSha256() + ")").asRuntimeException());
      return;
    }
    InputStream in;
    try {
      in = Files.newInputStream(store.file(a));
    } catch (IOException e) {
      out.onError(Status.INTERNAL.withDescription("cannot read " + a.getName()).asRuntimeException());
      return;
    }
    byte[] buffer = new byte[Artifacts.CHUNK_BYTES];
    boolean[] done = {false};
    Runnable pump = () -> {
      try {
        while (!done[0] && out.isReady()) {
          int n = in.readNBytes(buffer, 0, buffer.length);
          if (n > 0) {
            out.onNext(ArtifactChunk.newBuilder().setData(ByteString.copyFrom(buffer, 0, n)).build());
          }
          if (n < buffer.length) {
            done[0] = true;
            in.close();
            out.onCompleted();
          }
        }
      } catch (IOException e) {
        done[0] = true;
        out.onError(Status.INTERNAL.withDescription("cannot read " + a.getName()).asRuntimeException());
      }
    };
    out.setOnCancelHandler(() -> {
      try {
        in.close();
      } catch (IOException ignored) {
        // nothing more to do
      }
    });
    out.setOnReadyHandler(pump);
    pump.run();
  }
}
