package dev.hotfix.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;

/**
 * A certificate for a test server on 127.0.0.1, made by the JDK's keytool (no other tool, no
 * network): the server's SSL context, and the certificate as PEM for the client to trust (it is
 * its own CA).
 *
 * @param serverContext what the test's HTTPS server presents
 * @param pem the certificate, PEM-encoded, as a CA bundle
 */
public record SelfSignedCertificate(SSLContext serverContext, String pem) {
  private static final String PASSWORD = "changeit";

  /** Makes a key pair and certificate for {@code 127.0.0.1} in {@code dir}. */
  public static SelfSignedCertificate forLoopback(Path dir, String alias) throws Exception {
    Path keystore = dir.resolve(alias + ".p12");
    keytool("-genkeypair", "-alias", alias, "-keyalg", "RSA", "-keysize", "2048", "-validity", "2",
        "-dname", "CN=127.0.0.1", "-ext", "SAN=ip:127.0.0.1", "-ext", "BC=ca:true", "-storetype", "PKCS12",
        "-keystore", keystore.toString(), "-storepass", PASSWORD, "-keypass", PASSWORD);
    Path pem = dir.resolve(alias + ".crt");
    keytool("-exportcert", "-rfc", "-alias", alias, "-keystore", keystore.toString(), "-storepass", PASSWORD,
        "-file", pem.toString());
    KeyStore ks = KeyStore.getInstance("PKCS12");
    try (InputStream in = Files.newInputStream(keystore)) {
      ks.load(in, PASSWORD.toCharArray());
    }
    KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
    kmf.init(ks, PASSWORD.toCharArray());
    SSLContext tls = SSLContext.getInstance("TLS");
    tls.init(kmf.getKeyManagers(), null, null);
    return new SelfSignedCertificate(tls, Files.readString(pem));
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
