package dev.hotfix.tls;

import java.io.IOException;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.util.List;
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
    List<X509Certificate> certificates = Pem.certificates(pem, "the CA bundle");
    try {
      KeyStore trust = KeyStore.getInstance(KeyStore.getDefaultType());
      trust.load(null, null);
      for (int i = 0; i < certificates.size(); i++) {
        trust.setCertificateEntry("ca-" + i, certificates.get(i));
      }
      TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
      tmf.init(trust);
      SSLContext context = SSLContext.getInstance("TLS");
      context.init(null, tmf.getTrustManagers(), null);
      return context;
    } catch (GeneralSecurityException | IOException e) {
      throw new IllegalArgumentException("the CA bundle cannot be trusted: " + e.getClass().getSimpleName(), e);
    }
  }
}
