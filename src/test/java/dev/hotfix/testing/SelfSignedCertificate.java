package dev.hotfix.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * A certificate for a test server on 127.0.0.1, made by the JDK's keytool (no other tool, no
 * network): the server's SSL context, the certificate as PEM for a client to trust (it is its own
 * CA), and the key pair as PEM files for servers that read them as cert-manager writes them.
 *
 * @param serverContext what the test's HTTPS server presents
 * @param pem the certificate, PEM-encoded, as a CA bundle
 * @param certificate the certificate
 * @param key its private key
 */
public record SelfSignedCertificate(SSLContext serverContext, String pem, Certificate certificate, PrivateKey key) {
  private static final String PASSWORD = "changeit";

  /** Makes a key pair and certificate for {@code 127.0.0.1} (and {@code localhost}) in {@code dir}. */
  public static SelfSignedCertificate forLoopback(Path dir, String alias) throws Exception {
    Path keystore = dir.resolve(alias + ".p12");
    keytool("-genkeypair", "-alias", alias, "-keyalg", "RSA", "-keysize", "2048", "-validity", "2",
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
    Files.writeString(dir.resolve("tls.crt"), pem);
    Files.writeString(dir.resolve("tls.key"), pem("PRIVATE KEY", key.getEncoded()));
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
