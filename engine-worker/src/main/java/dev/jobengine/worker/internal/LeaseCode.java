package dev.jobengine.worker.internal;

import dev.jobengine.JobEngineException;
import dev.jobengine.core.code.Artifacts;
import dev.jobengine.proto.Artifact;
import dev.jobengine.proto.ArtifactChunk;
import dev.jobengine.proto.CodeGrpc;
import io.grpc.Channel;
import io.grpc.StatusRuntimeException;
import java.io.IOException;
import java.io.OutputStream;
import java.net.MalformedURLException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The code of the leases a worker serves: each lease's jars, found in the worker's cache by
 * content hash or fetched from the master once, and a class loader of the lease's own over them,
 * whose parent is the worker's own class path (the engine). One lease's classes never meet
 * another's; a lease's loader is closed when the next lease begins.
 */
final class LeaseCode {
  private static final Logger log = LoggerFactory.getLogger(LeaseCode.class);
  /** How long fetching one jar may take. */
  private static final long FETCH_SECONDS = 120;

  private final Channel channel;
  private final Path configuredDir;
  private Path dir; // on the task thread only
  private URLClassLoader current; // on the task thread only

  LeaseCode(Channel channel, String codeDir) {
    this.channel = channel;
    this.configuredDir = codeDir == null ? null : Path.of(codeDir);
  }

  /**
   * The class loader for a lease whose class path is {@code classPath}, and which asks the master
   * for classes in none of its jars when {@code served}: the worker's own loader when there is
   * nothing to load. Closes the previous lease's loader. Throws JobEngineException when a jar
   * cannot be had.
   */
  ClassLoader begin(String lease, List<Artifact> classPath, boolean served) {
    end();
    ClassLoader parent = LeaseCode.class.getClassLoader();
    if (classPath.isEmpty() && !served) {
      return parent;
    }
    List<URL> urls = new ArrayList<>();
    for (Artifact a : classPath) {
      try {
        urls.add(jar(a).toUri().toURL());
      } catch (MalformedURLException e) {
        throw new IllegalStateException(e);
      }
    }
    current = new LeaseLoader(lease, urls.toArray(URL[]::new), parent, served ? channel : null);
    return current;
  }

  /** Closes the current lease's loader, if any. */
  void end() {
    URLClassLoader c = current;
    current = null;
    if (c != null) {
      try {
        c.close();
      } catch (IOException e) {
        log.debug("closing a lease's class loader", e);
      }
    }
  }

  private Path jar(Artifact a) {
    if (!a.getPath().isEmpty()) {
      return Path.of(a.getPath()); // the master's own entry, on this machine: read where it is
    }
    Path file = directory().resolve(Artifacts.fileName(a));
    try {
      if (Files.isRegularFile(file) && Files.size(file) == a.getSize()) {
        return file;
      }
      fetch(a, file);
      return file;
    } catch (IOException e) {
      throw new JobEngineException("cannot cache " + a.getName() + " (" + a.getSha256() + ") in " + file.getParent(), e);
    }
  }

  private Path directory() {
    if (dir == null) {
      try {
        dir = configuredDir != null ? Artifacts.privateDirectory(configuredDir) : Artifacts.defaultWorkerDirectory();
      } catch (IOException e) {
        throw new JobEngineException("cannot make the worker's code cache directory", e);
      }
    }
    return dir;
  }

  /** Fetches {@code a} from the master into {@code file}, checking its size and hash. */
  private void fetch(Artifact a, Path file) throws IOException {
    Path tmp = Files.createTempFile(file.getParent(), a.getSha256(), ".part");
    try {
      MessageDigest sha = Artifacts.sha256();
      long size = 0;
      try (OutputStream out = Files.newOutputStream(tmp)) {
        Iterator<ArtifactChunk> chunks = CodeGrpc.newBlockingStub(channel)
            .withDeadlineAfter(FETCH_SECONDS, TimeUnit.SECONDS).fetch(a);
        while (chunks.hasNext()) {
          ArtifactChunk c = chunks.next();
          size += c.getData().size();
          if (size > a.getSize()) {
            throw new JobEngineException("the master sent more than the " + a.getSize() + " bytes of " + a.getName());
          }
          c.getData().writeTo(out);
          sha.update(c.getData().asReadOnlyByteBuffer());
        }
      } catch (StatusRuntimeException e) {
        throw new JobEngineException("cannot fetch " + a.getName() + " from the master: " + e.getStatus(), e);
      }
      String got = Artifacts.hex(sha.digest());
      if (size != a.getSize() || !got.equals(a.getSha256())) {
        throw new JobEngineException("fetched " + a.getName() + " does not match: " + size + " bytes, sha256 " + got
            + "; expected " + a.getSize() + " bytes, " + a.getSha256());
      }
      Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      log.debug("fetched {} ({} bytes)", a.getName(), size);
    } finally {
      Files.deleteIfExists(tmp);
    }
  }
}
