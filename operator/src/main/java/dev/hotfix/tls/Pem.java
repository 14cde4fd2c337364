package dev.hotfix.tls;

import java.io.IOException;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.openssl.PEMEncryptedKeyPair;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;
import org.bouncycastle.pkcs.PKCS8EncryptedPrivateKeyInfo;

/**
 * Certificates and private keys in PEM as Kubernetes hands them out (cert-manager's
 * {@code tls.crt}/{@code tls.key}, a Secret's {@code ca.crt}, a webhook's {@code caBundle}),
 * read with BouncyCastle's {@link PEMParser}: RSA keys in PKCS#1 ({@code RSA PRIVATE KEY}) or
 * PKCS#8 ({@code PRIVATE KEY}), EC keys in SEC1 ({@code EC PRIVATE KEY}, with or without the
 * {@code EC PARAMETERS} block openssl puts before it) or PKCS#8. Every problem is an
 * {@link IllegalArgumentException} that says what the text holds and what to give instead.
 */
public final class Pem {
  private Pem() {
  }

  /**
   * The certificates of a PEM bundle, in order (a chain: the leaf first).
   *
   * @param what names the text in messages, e.g. a file name
   */
  public static List<X509Certificate> certificates(String pem, String what) {
    List<X509Certificate> certificates = new ArrayList<>();
    JcaX509CertificateConverter converter = new JcaX509CertificateConverter();
    for (Object o : objects(pem, what)) {
      if (o instanceof X509CertificateHolder holder) {
        try {
          certificates.add(converter.getCertificate(holder));
        } catch (CertificateException e) {
          throw new IllegalArgumentException(what + " holds a certificate the JDK cannot read: " + e.getMessage(), e);
        }
      }
    }
    if (certificates.isEmpty()) {
      throw new IllegalArgumentException(what + " holds no certificate: give PEM text with -----BEGIN CERTIFICATE-----");
    }
    return certificates;
  }

  /**
   * The one unencrypted private key of a PEM text.
   *
   * @param what names the text in messages, e.g. a file name
   */
  public static PrivateKey privateKey(String pem, String what) {
    JcaPEMKeyConverter converter = new JcaPEMKeyConverter();
    for (Object o : objects(pem, what)) {
      try {
        if (o instanceof PEMKeyPair pair) {
          // the private part alone: a SEC1 key may leave out its public key
          return converter.getPrivateKey(pair.getPrivateKeyInfo());
        }
        if (o instanceof PrivateKeyInfo info) {
          return converter.getPrivateKey(info);
        }
      } catch (IOException e) {
        throw new IllegalArgumentException(what + " holds a private key the JDK cannot use: " + e.getMessage(), e);
      }
      if (o instanceof PEMEncryptedKeyPair || o instanceof PKCS8EncryptedPrivateKeyInfo) {
        throw new IllegalArgumentException(what + " holds an encrypted private key: give it unencrypted, as "
            + "cert-manager writes tls.key (openssl pkey -in key.pem -out tls.key)");
      }
      // anything else (EC PARAMETERS before an EC PRIVATE KEY, a certificate) is not the key: read on
      if (!(o instanceof ASN1ObjectIdentifier || o instanceof X509CertificateHolder)) {
        throw new IllegalArgumentException(what + " holds a " + o.getClass().getSimpleName() + " where a private "
            + "key was expected: give an RSA or EC key as PKCS#1, SEC1 or PKCS#8 PEM");
      }
    }
    throw new IllegalArgumentException(what + " holds no private key: give PEM text with -----BEGIN PRIVATE KEY-----, "
        + "-----BEGIN RSA PRIVATE KEY----- or -----BEGIN EC PRIVATE KEY-----");
  }

  /**
   * Checks that {@code key} is the private half of {@code certificate}'s public key, by signing with one
   * and verifying with the other (works for RSA, EC and EdDSA alike).
   */
  public static void checkPair(X509Certificate certificate, PrivateKey key, String what) {
    PublicKey publicKey = certificate.getPublicKey();
    if (!publicKey.getAlgorithm().equals(key.getAlgorithm())) {
      throw new IllegalArgumentException(what + ": the key is " + key.getAlgorithm() + " but the certificate's is "
          + publicKey.getAlgorithm() + ": give the key that belongs to the certificate");
    }
    String algorithm = switch (key.getAlgorithm()) {
      case "RSA" -> "SHA256withRSA";
      case "EC" -> "SHA256withECDSA";
      default -> key.getAlgorithm();
    };
    byte[] probe = "hotfix-operator key check".getBytes(StandardCharsets.US_ASCII);
    try {
      Signature signer = Signature.getInstance(algorithm);
      signer.initSign(key);
      signer.update(probe);
      byte[] signature = signer.sign();
      Signature verifier = Signature.getInstance(algorithm);
      verifier.initVerify(publicKey);
      verifier.update(probe);
      if (!verifier.verify(signature)) {
        throw new IllegalArgumentException(what + ": the key does not belong to the certificate ("
            + certificate.getSubjectX500Principal().getName() + "): give the matching pair");
      }
    } catch (GeneralSecurityException e) {
      throw new IllegalArgumentException(what + ": cannot check that the key belongs to the certificate: "
          + e.getMessage(), e);
    }
  }

  private static List<Object> objects(String pem, String what) {
    List<Object> objects = new ArrayList<>();
    try (PEMParser parser = new PEMParser(new StringReader(pem))) {
      for (Object o = parser.readObject(); o != null; o = parser.readObject()) {
        objects.add(o);
      }
    } catch (IOException | RuntimeException e) {
      throw new IllegalArgumentException(what + " is not valid PEM: " + e.getMessage(), e);
    }
    return objects;
  }
}
