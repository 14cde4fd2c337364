package dev.hotfix.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.KeyFactory;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.bouncycastle.jce.provider.BouncyCastleProvider;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;

/**
 * A certificate for a test server on 127.0.0.1, made by the JDK's keytool (no other tool, no
 * network): the server's SSL context, the certificate as PEM for a client to trust (it is its own
 * CA), and the key pair as PEM files for servers that read them as cert-manager writes them
 * (PKCS#8, or the traditional PKCS#1/SEC1 encoding, written with BouncyCastle as openssl does).
 *
 * @param serverContext what the test's HTTPS server presents
 * @param pem the certificate, PEM-encoded, as a CA bundle
 * @param certificate the certificate
 * @param key its private key
 */
public record SelfSignedCertificate(SSLContext serverContext, String pem, Certificate certificate, PrivateKey key) {
  private static final String PASSWORD = "changeit";

  /** How {@code tls.key} is encoded. */
  public enum KeyEncoding {
    /** {@code PRIVATE KEY}, whatever the algorithm. */
    PKCS8,
    /** {@code RSA PRIVATE KEY} (PKCS#1) or {@code EC PRIVATE KEY} (SEC1): openssl's and cert-manager's default. */
    TRADITIONAL
  }

  /** Makes an RSA key pair and certificate for {@code 127.0.0.1} (and {@code localhost}) in {@code dir}. */
  public static SelfSignedCertificate forLoopback(Path dir, String alias) throws Exception {
    return forLoopback(dir, alias, "RSA");
  }

  /** As above, with a key of {@code keyAlgorithm}: RSA (2048 bits) or EC (P-256, cert-manager's ECDSA default). */
  public static SelfSignedCertificate forLoopback(Path dir, String alias, String keyAlgorithm) throws Exception {
    Path keystore = dir.resolve(alias + ".p12");
    keytool("-genkeypair", "-alias", alias, "-keyalg", keyAlgorithm, "-keysize", keyAlgorithm.equals("EC") ? "256"
            : "2048", "-validity", "2",
        "-dname", "CN=127.0.0.1", "-ext", "SAN=ip:127.0.0.1,dns:localhost", "-ext", "BC=ca:true",
        "-storetype", "PKCS12", "-keystore", keystore.toString(), "-storepass", PASSWORD, "-keypass", PASSWORD);
    KeyStore ks = KeyStore.getInstance("PKCS12");
    try (InputStream in = Files.newInputStream(keystore)) {
      ks.load(in, PASSWORD.toCharArray());
    }
    KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
    kmf.init(ks, PASSWORD.toCharArray());
    SSLContext tls = SSLContext.getInstance("TLS");
    tls.init(kmf.getKeyManagers(), null, null);
    Certificate certificate = ks.getCertificate(alias);
    return new SelfSignedCertificate(tls, pem("CERTIFICATE", certificate.getEncoded()), certificate,
        (PrivateKey) ks.getKey(alias, PASSWORD.toCharArray()));
  }

  /** Writes {@code tls.crt} and {@code tls.key} (PKCS#8) into {@code dir}, as cert-manager's Secret holds them. */
  public void writeTlsFiles(Path dir) throws Exception {
    writeTlsFiles(dir, KeyEncoding.PKCS8);
  }

  /** Writes {@code tls.crt} and {@code tls.key} in {@code encoding} into {@code dir}. */
  public void writeTlsFiles(Path dir, KeyEncoding encoding) throws Exception {
    Files.writeString(dir.resolve("tls.crt"), pem);
    Files.writeString(dir.resolve("tls.key"), keyPem(encoding));
  }

  /** The private key as PEM in {@code encoding}. */
  public String keyPem(KeyEncoding encoding) throws Exception {
    if (encoding == KeyEncoding.PKCS8) {
      return pem("PRIVATE KEY", key.getEncoded());
    }
    StringWriter out = new StringWriter();
    try (JcaPEMWriter writer = new JcaPEMWriter(out)) {
      // through BouncyCastle's own key: its SEC1 encoding names the curve, as openssl's does (the JDK's leaves it out)
      writer.writeObject(KeyFactory.getInstance(key.getAlgorithm(), new BouncyCastleProvider())
          .generatePrivate(new PKCS8EncodedKeySpec(key.getEncoded())));
    }
    return out.toString();
  }

  /**
   * Replaces {@code tls.crt} and {@code tls.key} in {@code dir} as the kubelet updates a mounted
   * Secret: the files are symlinks into {@code ..data}, itself a symlink to a directory of this
   * version, swapped in one rename.
   */
  public void mountAsSecret(Path dir, KeyEncoding encoding) throws Exception {
    Path version = Files.createTempDirectory(dir, "..version-");
    writeTlsFiles(version, encoding);
    Path next = dir.resolve("..data_tmp");
    Files.deleteIfExists(next);
    Files.createSymbolicLink(next, version.getFileName());
    Files.move(next, dir.resolve("..data"), StandardCopyOption.ATOMIC_MOVE);
    for (String file : List.of("tls.crt", "tls.key")) {
      if (!Files.isSymbolicLink(dir.resolve(file))) {
        Files.createSymbolicLink(dir.resolve(file), Path.of("..data", file));
      }
    }
  }

  /** A client context that trusts this certificate and nothing else. */
  public SSLContext clientContext() throws Exception {
    KeyStore trusted = KeyStore.getInstance("PKCS12");
    trusted.load(null, null);
    trusted.setCertificateEntry("server", certificate);
    TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    tmf.init(trusted);
    SSLContext tls = SSLContext.getInstance("TLS");
    tls.init(null, tmf.getTrustManagers(), null);
    return tls;
  }

  private static String pem(String type, byte[] der) {
    return "-----BEGIN " + type + "-----\n" + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
        .encodeToString(der) + "\n-----END " + type + "-----\n";
  }

  private static void keytool(String... args) throws Exception {
    Path keytool = Path.of(System.getProperty("java.home"), "bin", "keytool");
    List<String> command = new ArrayList<>(List.of(keytool.toString()));
    command.addAll(List.of(args));
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(30, TimeUnit.SECONDS)).as("keytool finished").isTrue();
    assertThat(p.exitValue()).as("keytool " + args[0] + ": " + output).isZero();
  }
}
