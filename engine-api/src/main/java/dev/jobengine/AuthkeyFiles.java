package dev.jobengine;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/** Reads a key file: its content, trimmed, is the key. Package-private: see {@link Engine#connect(String, Path)}. */
final class AuthkeyFiles {
  /** A key file larger than this is not a key file. */
  static final int MAX_BYTES = 4096;

  private AuthkeyFiles() {}

  static byte[] read(Path file) {
    byte[] content;
    try (InputStream in = Files.newInputStream(file)) {
      content = in.readNBytes(MAX_BYTES + 1);
    } catch (IOException e) {
      throw new IllegalArgumentException("cannot read the authkey file " + file + ": " + e, e);
    }
    if (content.length > MAX_BYTES) {
      throw new IllegalArgumentException("the authkey file " + file + " is over " + MAX_BYTES + " bytes: not a key");
    }
    String key = new String(content, StandardCharsets.UTF_8).trim();
    if (key.isEmpty()) {
      throw new IllegalArgumentException("the authkey file " + file + " is empty");
    }
    return key.getBytes(StandardCharsets.UTF_8);
  }
}
