package dev.jobengine.master.internal.code;

import dev.jobengine.core.code.Artifacts;
import dev.jobengine.proto.Artifact;
import dev.jobengine.core.code.ClassPathArtifacts;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * Jars by content hash in one private directory ({@code <sha256>.jar}), shared with the daemon's
 * local workers as their cache. A jar is stored only once its size and hash are checked, by an
 * atomic move, so a reader never sees half of one.
 */
public final class CodeStore {
  private final Path dir;

  public CodeStore(Path dir) throws IOException {
    this.dir = Artifacts.privateDirectory(dir);
  }

  public Path directory() {
    return dir;
  }

  /** Where {@code a} is stored; throws IllegalArgumentException for an artifact that is not valid. */
  public Path file(Artifact a) {
    return dir.resolve(Artifacts.fileName(a));
  }

  /**
   * Stores the artifacts of {@code classPath} (a daemon's {@code --classpath}) that it lacks, so
   * clients with the same code upload nothing; returns how many it stored.
   */
  public int preload(String classPath) throws IOException {
    int stored = 0;
    for (ClassPathArtifacts.Local l : ClassPathArtifacts.of(classPath)) {
      if (has(l.artifact())) {
        continue;
      }
      Path tmp = Files.createTempFile(dir, l.artifact().getSha256(), ".part");
      try (InputStream in = l.open()) {
        Files.copy(in, tmp, StandardCopyOption.REPLACE_EXISTING);
        Files.move(tmp, file(l.artifact()), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        stored++;
      } finally {
        Files.deleteIfExists(tmp);
      }
    }
    return stored;
  }

  public boolean has(Artifact a) {
    if (!Artifacts.valid(a)) {
      return false;
    }
    Path f = file(a);
    try {
      return Files.isRegularFile(f) && Files.size(f) == a.getSize();
    } catch (IOException e) {
      return false;
    }
  }
}
