package dev.jobengine.master.internal.client;

import com.google.protobuf.ByteString;
import dev.jobengine.JobEngineException;
import dev.jobengine.PoolOptions;
import dev.jobengine.core.code.Artifacts;
import dev.jobengine.core.code.ClassPathArtifacts;
import dev.jobengine.core.code.LoaderClassPath;
import dev.jobengine.proto.Artifact;
import dev.jobengine.proto.ArtifactChunk;
import dev.jobengine.proto.ArtifactList;
import dev.jobengine.proto.CodeGrpc;
import io.grpc.Channel;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.ClientCallStreamObserver;
import io.grpc.stub.ClientResponseObserver;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Makes sure a class path's artifacts are in the daemon's store: asks which are missing, uploads
 * only those (a chunk at a time, as the connection is ready), and remembers, for this connection,
 * what the daemon has, so the next pool with the same code costs no round trip.
 */
final class CodeUpload {
  private static final Logger log = LoggerFactory.getLogger(CodeUpload.class);
  /** How long asking and uploading may take, per call. */
  private static final long CALL_SECONDS = 120;

  private final Channel channel;
  private final Set<String> stored = ConcurrentHashMap.newKeySet();

  CodeUpload(Channel channel) {
    this.channel = channel;
  }

  /**
   * The artifacts of the class path of a pool or process with {@code options}, whose classes come
   * from {@code loaders} unless the options set a class path; all in the daemon's store once this
   * returns. Throws JobEngineException when a loader's classes are in no file.
   */
  List<Artifact> ensure(PoolOptions options, List<ClassLoader> loaders) {
    String classPath = options.classPath();
    if (classPath == null) {
      LoaderClassPath.Result found = LoaderClassPath.of(loaders);
      if (!found.served().isEmpty()) {
        throw new JobEngineException("the classes of " + LoaderClassPath.describe(found.served().get(0))
            + " are in no jar or directory, so they cannot be sent to the daemon; set PoolOptions.classPath to a"
            + " class path that holds them");
      }
      List<String> entries = new ArrayList<>();
      for (Path p : found.entries()) {
        entries.add(p.toString());
      }
      classPath = String.join(File.pathSeparator, entries);
    }
    return ensure(classPath);
  }

  /** The artifacts of {@code classPath}, all in the daemon's store once this returns. */
  List<Artifact> ensure(String classPath) {
    List<ClassPathArtifacts.Local> local;
    try {
      local = ClassPathArtifacts.of(classPath);
    } catch (IOException e) {
      throw new JobEngineException("cannot read the class path to send to the daemon: " + e.getMessage(), e);
    }
    List<Artifact> all = new ArrayList<>(local.size());
    ArtifactList.Builder unknown = ArtifactList.newBuilder();
    for (ClassPathArtifacts.Local l : local) {
      all.add(l.artifact());
      if (!stored.contains(l.artifact().getSha256())) {
        unknown.addArtifacts(l.artifact());
      }
    }
    if (unknown.getArtifactsCount() == 0) {
      return all;
    }
    ArtifactList missing;
    try {
      missing = CodeGrpc.newBlockingStub(channel).withDeadlineAfter(CALL_SECONDS, TimeUnit.SECONDS).missing(unknown.build());
    } catch (StatusRuntimeException e) {
      throw new JobEngineException("the daemon cannot take this class path: " + e.getStatus(), e);
    }
    Set<String> toSend = ConcurrentHashMap.newKeySet();
    missing.getArtifactsList().forEach(a -> toSend.add(a.getSha256()));
    List<ClassPathArtifacts.Local> upload = local.stream().filter(l -> toSend.remove(l.artifact().getSha256())).toList();
    if (!upload.isEmpty()) {
      long start = System.nanoTime();
      upload(upload);
      log.debug("sent {} artifacts to the daemon in {} ms", upload.size(), (System.nanoTime() - start) / 1_000_000);
    }
    unknown.getArtifactsList().forEach(a -> stored.add(a.getSha256()));
    return all;
  }

  private void upload(List<ClassPathArtifacts.Local> artifacts) {
    Semaphore ready = new Semaphore(0);
    CompletableFuture<ArtifactList> answer = new CompletableFuture<>();
    AtomicReference<ClientCallStreamObserver<ArtifactChunk>> call = new AtomicReference<>();
    CodeGrpc.newStub(channel).withDeadlineAfter(CALL_SECONDS, TimeUnit.SECONDS).upload(
        new ClientResponseObserver<ArtifactChunk, ArtifactList>() {
          @Override
          public void beforeStart(ClientCallStreamObserver<ArtifactChunk> requests) {
            call.set(requests);
            requests.setOnReadyHandler(ready::release);
          }

          @Override
          public void onNext(ArtifactList value) {
            answer.complete(value);
          }

          @Override
          public void onError(Throwable t) {
            answer.completeExceptionally(t);
            ready.release();
          }

          @Override
          public void onCompleted() {
            answer.complete(ArtifactList.getDefaultInstance());
          }
        });
    ClientCallStreamObserver<ArtifactChunk> out = call.get();
    byte[] buffer = new byte[Artifacts.CHUNK_BYTES];
    try {
      for (ClassPathArtifacts.Local a : artifacts) {
        boolean first = true;
        try (InputStream in = a.open()) {
          int n;
          while ((n = in.readNBytes(buffer, 0, buffer.length)) > 0 || first) {
            while (!out.isReady() && !answer.isDone()) {
              ready.tryAcquire(1, TimeUnit.SECONDS);
            }
            if (answer.isDone()) {
              break; // failed: the answer says why
            }
            ArtifactChunk.Builder c = ArtifactChunk.newBuilder().setData(ByteString.copyFrom(buffer, 0, n));
            if (first) {
              c.setArtifact(a.artifact());
              first = false;
            }
            out.onNext(c.build());
            if (n < buffer.length) {
              break;
            }
          }
        }
      }
      out.onCompleted();
      answer.get(CALL_SECONDS, TimeUnit.SECONDS);
    } catch (IOException e) {
      out.cancel("cannot read the class path", e);
      throw new JobEngineException("cannot read the class path to send to the daemon: " + e.getMessage(), e);
    } catch (ExecutionException e) {
      throw new JobEngineException("the daemon refused this class path: " + e.getCause().getMessage(), e.getCause());
    } catch (TimeoutException e) {
      out.cancel("timed out", e);
      throw new JobEngineException("sending the class path to the daemon took over " + CALL_SECONDS + " s", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      out.cancel("interrupted", e);
      throw new JobEngineException("interrupted while sending the class path to the daemon", e);
    }
  }
}
