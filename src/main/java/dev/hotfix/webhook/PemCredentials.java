package dev.hotfix.webhook;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyStore;
import java.security.NoSuchAlgorithmException;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.spec.InvalidKeySpecException;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Base64;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;

/**
 * A TLS server identity from PEM files as cert-manager writes them ({@code tls.crt}: the
 * certificate chain; {@code tls.key}: the private key as PKCS#8 {@code PRIVATE KEY}, or an RSA
 * key as PKCS#1 {@code RSA PRIVATE KEY}, cert-manager's default encoding).
 */
final class PemCredentials {
  private static final Pattern BLOCK =
      Pattern.compile("-----BEGIN ([A-Z ]+)-----(.*?)-----END \\1-----", Pattern.DOTALL);
  /** rsaEncryption, 1.2.840.113549.1.1.1, with NULL parameters: the AlgorithmIdentifier of a PKCS#8 RSA key. */
  private static final byte[] RSA_ALGORITHM = {0x30, 0x0d, 0x06, 0x09, 0x2a, (byte) 0x86, 0x48, (byte) 0x86,
      (byte) 0xf7, 0x0d, 0x01, 0x01, 0x01, 0x05, 0x00};

  private PemCredentials() {
  }

  /**
   * An SSLContext serving the certificate chain in {@code certFile} with the key in {@code keyFile}.
   *
   * @throws IllegalArgumentException naming the file and what is wrong with it
   */
  static SSLContext serverContext(Path certFile, Path keyFile) throws IOException {
    Certificate[] chain = certificates(certFile);
    PrivateKey key = privateKey(keyFile);
    try {
      char[] password = new char[0];
      KeyStore store = KeyStore.getInstance("PKCS12");
      store.load(null, null);
      store.setKeyEntry("webhook", key, password, chain);
      KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
      kmf.init(store, password);
      SSLContext context = SSLContext.getInstance("TLS");
      context.init(kmf.getKeyManagers(), null, null);
      return context;
    } catch (GeneralSecurityException e) {
      throw new IllegalArgumentException("cannot serve TLS with " + certFile + " and " + keyFile + ": " + e.getMessage()
          + " (does the key belong to the certificate?)", e);
    }
  }

  private static Certificate[] certificates(Path file) throws IOException {
    try {
      Certificate[] chain = CertificateFactory.getInstance("X.509")
          .generateCertificates(new ByteArrayInputStream(Files.readAllBytes(file))).toArray(Certificate[]::new);
      if (chain.length == 0) {
        throw new IllegalArgumentException(file + " holds no certificate: give --webhook-tls-cert a PEM file with "
            + "-----BEGIN CERTIFICATE-----");
      }
      return chain;
    } catch (GeneralSecurityException e) {
      throw new IllegalArgumentException(file + " is not a PEM certificate: " + e.getMessage(), e);
    }
  }

  private static PrivateKey privateKey(Path file) throws IOException {
    Matcher m = BLOCK.matcher(Files.readString(file));
    if (!m.find()) {
      throw new IllegalArgumentException(file + " holds no PEM block: give --webhook-tls-key a PEM private key");
    }
    byte[] der = Base64.getMimeDecoder().decode(m.group(2).trim());
    return switch (m.group(1)) {
      case "PRIVATE KEY" -> pkcs8(der, file);
      case "RSA PRIVATE KEY" -> pkcs8(rsaPkcs1ToPkcs8(der), file);
      default -> throw new IllegalArgumentException(file + " holds a " + m.group(1) + ", which is not supported: "
          + "give an unencrypted PKCS#8 key (openssl pkcs8 -topk8 -nocrypt -in key.pem), or set the cert-manager "
          + "Certificate's privateKey.encoding: PKCS8");
    };
  }

  private static PrivateKey pkcs8(byte[] der, Path file) {
    for (String algorithm : new String[] {"RSA", "EC", "Ed25519"}) {
      try {
        return KeyFactory.getInstance(algorithm).generatePrivate(new PKCS8EncodedKeySpec(der));
      } catch (InvalidKeySpecException | NoSuchAlgorithmException e) {
        // try the next algorithm: PKCS#8 names it inside, but KeyFactory needs it up front
      }
    }
    throw new IllegalArgumentException(file + " is not an RSA, EC or Ed25519 private key in PKCS#8");
  }

  /** Wraps a PKCS#1 RSAPrivateKey in a PKCS#8 PrivateKeyInfo: SEQUENCE { 0, rsaEncryption, OCTET STRING key }. */
  private static byte[] rsaPkcs1ToPkcs8(byte[] pkcs1) {
    ByteArrayOutputStream body = new ByteArrayOutputStream();
    body.writeBytes(new byte[] {0x02, 0x01, 0x00});
    body.writeBytes(RSA_ALGORITHM);
    body.write(0x04);
    body.writeBytes(derLength(pkcs1.length));
    body.writeBytes(pkcs1);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.write(0x30);
    out.writeBytes(derLength(body.size()));
    out.writeBytes(body.toByteArray());
    return out.toByteArray();
  }

  private static byte[] derLength(int length) {
    if (length < 0x80) {
      return new byte[] {(byte) length};
    }
    int bytes = length > 0xffff ? 3 : length > 0xff ? 2 : 1;
    byte[] out = new byte[bytes + 1];
    out[0] = (byte) (0x80 | bytes);
    for (int i = 0; i < bytes; i++) {
      out[bytes - i] = (byte) (length >>> (8 * i));
    }
    return out;
  }
}
