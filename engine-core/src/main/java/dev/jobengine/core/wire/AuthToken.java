package dev.jobengine.core.wire;

import io.grpc.ClientInterceptor;
import io.grpc.Metadata;
import io.grpc.stub.MetadataUtils;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Proof of the engine's authkey sent with every call: HMAC-SHA256 of a fixed label under the key,
 * so the key itself never travels. Compared in constant time.
 */
public final class AuthToken {
  /** The metadata key carrying the token. */
  public static final Metadata.Key<byte[]> HEADER =
      Metadata.Key.of("jobengine-auth-bin", Metadata.BINARY_BYTE_MARSHALLER);

  private static final byte[] LABEL = "jobengine-hub-v1".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
  private static final int KEY_BYTES = 32;

  private AuthToken() {}

  /** 32 bytes from {@link SecureRandom}. */
  public static byte[] newKey() {
    byte[] key = new byte[KEY_BYTES];
    new SecureRandom().nextBytes(key);
    return key;
  }

  public static byte[] token(byte[] authkey) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(authkey, "HmacSHA256"));
      return mac.doFinal(LABEL);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HmacSHA256 unavailable", e);
    }
  }

  public static boolean matches(byte[] expectedToken, byte[] presented) {
    return presented != null && MessageDigest.isEqual(expectedToken, presented);
  }

  /** Attaches the token to every call made through a channel. */
  public static ClientInterceptor clientInterceptor(byte[] token) {
    Metadata headers = new Metadata();
    headers.put(HEADER, token);
    return MetadataUtils.newAttachHeadersInterceptor(headers);
  }

  public static String encodeKey(byte[] key) {
    return Base64.getEncoder().encodeToString(key);
  }

  public static byte[] decodeKey(String line) {
    return Base64.getDecoder().decode(line.trim());
  }
}
