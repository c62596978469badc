package dev.jobengine.it;

import java.io.IOException;
import java.io.InputStream;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * Certificates for TLS tests, made with the JDK's own {@code keytool} (no openssl): EC P-256 keys,
 * written as the PEM files jobengine takes (the certificate chain; the PKCS#8 private key).
 */
public final class TestCertificates {
  private static final String PASSWORD = "changeit";

  private TestCertificates() {}

  /**
   * PEM files of one certificate: its chain (it first, then its issuer's), its key, and the
   * certificate alone; and the PKCS12 key store they came from.
   */
  public record Issued(Path certChain, Path privateKey, Path certificate, Path keyStore) {}

  /**
   * A self-signed certificate for {@code cn} naming {@code sans} ({@code ip:127.0.0.1},
   * {@code dns:localhost}, ...); usable as a server's, a client's, or as a CA to trust.
   */
  public static Issued selfSigned(Path dir, String cn, String... sans) throws IOException {
    Path store = dir.resolve(cn + ".p12");
    List<String> cmd = genkeypair(store, cn, sans);
    cmd.addAll(List.of("-ext", "BasicConstraints:critical=ca:true"));
    keytool(cmd);
    return write(dir, cn, store);
  }

  /** A certificate for {@code cn}, naming {@code sans}, signed by {@code ca} (made by {@link #selfSigned}). */
  public static Issued signedBy(Issued ca, Path dir, String cn, String... sans) throws IOException {
    Path store = dir.resolve(cn + ".p12");
    keytool(genkeypair(store, cn, sans));
    Path request = dir.resolve(cn + ".csr");
    Path signed = dir.resolve(cn + ".signed.pem");
    keytool(List.of("-certreq", "-alias", "it", "-keystore", store.toString(), "-storepass", PASSWORD,
        "-file", request.toString()));
    List<String> gencert = new ArrayList<>(List.of("-gencert", "-rfc", "-alias", "it", "-keystore", ca.keyStore().toString(),
        "-storepass", PASSWORD, "-infile", request.toString(), "-outfile", signed.toString(), "-validity", "2"));
    if (sans.length > 0) {
      gencert.addAll(List.of("-ext", "SAN=" + String.join(",", sans)));
    }
    keytool(gencert);
    // the store's own entry is still self-signed: put the CA-signed chain in its place
    keytool(List.of("-importcert", "-noprompt", "-alias", "ca", "-keystore", store.toString(), "-storepass", PASSWORD,
        "-file", ca.certificate().toString()));
    keytool(List.of("-importcert", "-noprompt", "-alias", "it", "-keystore", store.toString(), "-storepass", PASSWORD,
        "-file", signed.toString()));
    return write(dir, cn, store);
  }

  /** This machine's first IPv4 address beyond loopback on an interface that is up, if any. */
  public static Optional<InetAddress> nonLoopbackAddress() throws SocketException {
    for (NetworkInterface nic : Collections.list(NetworkInterface.getNetworkInterfaces())) {
      if (!nic.isUp() || nic.isLoopback()) {
        continue;
      }
      for (InetAddress a : Collections.list(nic.getInetAddresses())) {
        if (a instanceof Inet4Address && !a.isLoopbackAddress() && !a.isLinkLocalAddress()) {
          return Optional.of(a);
        }
      }
    }
    return Optional.empty();
  }

  private static List<String> genkeypair(Path store, String cn, String... sans) {
    List<String> cmd = new ArrayList<>(List.of("-genkeypair", "-alias", "it", "-keyalg", "EC", "-groupname", "secp256r1",
        "-sigalg", "SHA256withECDSA", "-dname", "CN=" + cn, "-validity", "2", "-storetype", "PKCS12",
        "-keystore", store.toString(), "-storepass", PASSWORD, "-keypass", PASSWORD));
    if (sans.length > 0) {
      cmd.addAll(List.of("-ext", "SAN=" + String.join(",", sans)));
    }
    return cmd;
  }

  private static void keytool(List<String> args) throws IOException {
    List<String> cmd = new ArrayList<>();
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "keytool").toString());
    cmd.addAll(args);
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    p.getOutputStream().close();
    String output;
    try (InputStream in = p.getInputStream()) {
      output = new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
    try {
      if (!p.waitFor(60, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        throw new IOException("keytool did not finish within 60 s: " + cmd);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      p.destroyForcibly();
      throw new IOException("interrupted while running keytool", e);
    }
    if (p.exitValue() != 0) {
      throw new IOException("keytool failed (exit " + p.exitValue() + "): " + cmd + "\n" + output);
    }
  }

  private static Issued write(Path dir, String cn, Path store) throws IOException {
    try (InputStream in = Files.newInputStream(store)) {
      KeyStore ks = KeyStore.getInstance("PKCS12");
      ks.load(in, PASSWORD.toCharArray());
      PrivateKey key = (PrivateKey) ks.getKey("it", PASSWORD.toCharArray());
      Certificate[] chain = ks.getCertificateChain("it");
      Path chainFile = dir.resolve(cn + "-chain.pem");
      Path keyFile = dir.resolve(cn + "-key.pem");
      Path certFile = dir.resolve(cn + ".pem");
      List<String> pems = new ArrayList<>();
      for (Certificate c : chain) {
        pems.add(pem("CERTIFICATE", c.getEncoded()));
      }
      Files.writeString(chainFile, pems.stream().collect(Collectors.joining()));
      Files.writeString(certFile, pems.get(0));
      Files.writeString(keyFile, pem("PRIVATE KEY", key.getEncoded())); // PKCS#8, as the JDK encodes private keys
      return new Issued(chainFile, keyFile, certFile, store);
    } catch (GeneralSecurityException e) {
      throw new IOException("cannot read the key store " + store, e);
    }
  }

  private static String pem(String type, byte[] der) {
    return "-----BEGIN " + type + "-----\n" + Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(der)
        + "\n-----END " + type + "-----\n";
  }
}
