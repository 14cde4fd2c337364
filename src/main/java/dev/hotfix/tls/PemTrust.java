package dev.hotfix.tls;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * TLS clients that trust a private CA given as a PEM bundle, as Kubernetes hands them out (a
 * Secret's {@code ca.crt}, a webhook's {@code caBundle}): the Prometheus provider and the
 * sandbox's admission webhook calls.
 */
public final class PemTrust {
  private PemTrust() {
  }

  /**
   * An SSL context that trusts exactly the certificates of a PEM bundle.
   *
   * @throws IllegalArgumentException when the bundle holds no readable certificate
   */
  public static SSLContext sslContext(String pem) {
    try {
      KeyStore trust = KeyStore.getInstance(KeyStore.getDefaultType());
      trust.load(null, null);
      int i = 0;
      for (Certificate c : CertificateFactory.getInstance("X.509")
          .generateCertificates(new ByteArrayInputStream(pem.getBytes(StandardCharsets.US_ASCII)))) {
        trust.setCertificateEntry("ca-" + i++, c);
      }
      if (i == 0) {
        throw new IllegalArgumentException("the CA bundle holds no PEM certificate");
      }
      TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
      tmf.init(trust);
      SSLContext context = SSLContext.getInstance("TLS");
      context.init(null, tmf.getTrustManagers(), null);
      return context;
    } catch (GeneralSecurityException | IOException e) {
      throw new IllegalArgumentException("the CA bundle is not valid PEM: " + e.getClass().getSimpleName(), e);
    }
  }
}
