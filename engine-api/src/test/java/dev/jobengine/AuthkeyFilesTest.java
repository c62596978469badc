package dev.jobengine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AuthkeyFilesTest {
  @TempDir Path dir;

  @Test
  void theTrimmedContentIsTheKey() throws Exception {
    Path f = Files.writeString(dir.resolve("key"), "  s3cret-key\n\n");
    assertThat(new String(AuthkeyFiles.read(f), StandardCharsets.UTF_8)).isEqualTo("s3cret-key");
  }

  @Test
  void aMissingEmptyOrHugeFileIsRefusedNamingIt() throws Exception {
    Path missing = dir.resolve("missing");
    assertThatThrownBy(() -> AuthkeyFiles.read(missing))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining(missing.toString());
    Path empty = Files.writeString(dir.resolve("empty"), " \n");
    assertThatThrownBy(() -> AuthkeyFiles.read(empty)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("empty");
    Path huge = Files.write(dir.resolve("huge"), new byte[AuthkeyFiles.MAX_BYTES + 1]);
    assertThatThrownBy(() -> AuthkeyFiles.read(huge)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("over");
  }
}
