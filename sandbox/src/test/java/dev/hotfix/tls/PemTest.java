package dev.hotfix.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.hotfix.testing.SelfSignedCertificate;
import dev.hotfix.testing.SelfSignedCertificate.KeyEncoding;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import org.bouncycastle.jce.provider.BouncyCastleProvider;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.openssl.jcajce.JcePEMEncryptorBuilder;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Keys and certificates as cert-manager and openssl write them: RSA in PKCS#1 and PKCS#8, EC in
 * SEC1 (with and without openssl's EC PARAMETERS block) and PKCS#8, all made in Java (keytool and
 * BouncyCastle), so no test depends on an openssl binary. The EC SEC1 case failed with the
 * hand-written parser this replaced, which refused {@code EC PRIVATE KEY}.
 */
class PemTest {
  @TempDir
  static Path dir;
  private static SelfSignedCertificate rsa;
  private static SelfSignedCertificate ec;

  @BeforeAll
  static void keys() throws Exception {
    rsa = SelfSignedCertificate.forLoopback(dir, "rsa", "RSA");
    ec = SelfSignedCertificate.forLoopback(dir, "ec", "EC");
  }

  @ParameterizedTest
  @CsvSource({
      "RSA, PKCS8,       -----BEGIN PRIVATE KEY-----",
      "RSA, TRADITIONAL, -----BEGIN RSA PRIVATE KEY-----",
      "EC,  PKCS8,       -----BEGIN PRIVATE KEY-----",
      "EC,  TRADITIONAL, -----BEGIN EC PRIVATE KEY-----"})
  void everyKeyEncodingCertManagerWritesServes(String algorithm, KeyEncoding encoding, String header)
      throws Exception {
    SelfSignedCertificate pair = algorithm.equals("RSA") ? rsa : ec;
    Path files = Files.createTempDirectory(dir, algorithm + encoding);
    pair.writeTlsFiles(files, encoding);
    assertThat(Files.readString(files.resolve("tls.key"))).startsWith(header);

    ReloadingServerIdentity identity = ReloadingServerIdentity.of(files.resolve("tls.crt"), files.resolve("tls.key"));

    assertThat(identity.certificateChain()).containsExactly((X509Certificate) pair.certificate());
    PrivateKey key = identity.getPrivateKey(identity.chooseServerAlias(algorithm, null, null));
    assertThat(key.getAlgorithm()).isEqualTo(algorithm);
    Pem.checkPair((X509Certificate) pair.certificate(), key, "the pair read back");
  }

  @Test
  void anEcKeyAfterOpensslsEcParametersBlockIsRead() throws Exception {
    String withParameters = "-----BEGIN EC PARAMETERS-----\nBggqhkjOPQMBBw==\n-----END EC PARAMETERS-----\n"
        + ec.keyPem(KeyEncoding.TRADITIONAL);

    PrivateKey key = Pem.privateKey(withParameters, "tls.key");

    assertThat(key.getAlgorithm()).isEqualTo("EC");
    Pem.checkPair((X509Certificate) ec.certificate(), key, "the key read back");
  }

  @Test
  void anEncryptedKeyIsRefusedSayingHowToDecryptIt() throws Exception {
    StringWriter encrypted = new StringWriter();
    try (JcaPEMWriter writer = new JcaPEMWriter(encrypted)) {
      writer.writeObject(rsa.key(), new JcePEMEncryptorBuilder("AES-128-CBC")
          .setProvider(new BouncyCastleProvider()).build("secret".toCharArray()));
    }

    assertThatThrownBy(() -> Pem.privateKey(encrypted.toString(), "tls.key"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("tls.key holds an encrypted private key: give it unencrypted, as cert-manager writes tls.key "
            + "(openssl pkey -in key.pem -out tls.key)");
  }

  @Test
  void aKeyOfAnotherCertificateIsRefused() {
    assertThatThrownBy(() -> Pem.checkPair((X509Certificate) rsa.certificate(),
        SelfSignedCertificate.forLoopback(dir, "other").key(), "tls.crt and tls.key"))
        .hasMessageStartingWith("tls.crt and tls.key: the key does not belong to the certificate (CN=127.0.0.1)");
    assertThatThrownBy(() -> Pem.checkPair((X509Certificate) rsa.certificate(), ec.key(), "tls.crt and tls.key"))
        .hasMessage("tls.crt and tls.key: the key is EC but the certificate's is RSA: give the key that belongs to "
            + "the certificate");
  }

  @Test
  void textWithoutKeyOrCertificateSaysWhatToGive() throws Exception {
    assertThatThrownBy(() -> Pem.privateKey(rsa.pem(), "tls.key"))
        .hasMessage("tls.key holds no private key: give PEM text with -----BEGIN PRIVATE KEY-----, "
            + "-----BEGIN RSA PRIVATE KEY----- or -----BEGIN EC PRIVATE KEY-----");
    assertThatThrownBy(() -> Pem.certificates("not pem at all", "tls.crt"))
        .hasMessage("tls.crt holds no certificate: give PEM text with -----BEGIN CERTIFICATE-----");
    String halfWritten = ec.keyPem(KeyEncoding.TRADITIONAL);
    assertThatThrownBy(() -> Pem.privateKey(halfWritten.substring(0, halfWritten.length() / 2), "tls.key"))
        .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("tls.key ");
  }
}
