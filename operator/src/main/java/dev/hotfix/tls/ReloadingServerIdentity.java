package dev.hotfix.tls;

import java.io.IOException;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.Principal;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.Arrays;
import java.util.List;
import javax.net.ssl.KeyManager;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.X509ExtendedKeyManager;
import javax.net.ssl.X509KeyManager;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A TLS server's certificate and key from PEM files that may be replaced while it runs, as
 * cert-manager renews a Certificate into a mounted Secret (the kubelet swaps a symlink to the
 * new files). Every handshake reads the two files again (a few KB); when they changed, the new
 * pair is parsed and, if whole and matching, used from that handshake on. A half-written or
 * broken pair keeps the pair that works, with one warning per broken version, so a renewal in
 * progress never takes the server down.
 */
public final class ReloadingServerIdentity extends X509ExtendedKeyManager {
  private static final Logger LOG = LoggerFactory.getLogger(ReloadingServerIdentity.class);

  private final Path certFile;
  private final Path keyFile;
  /** The pair in use, and the one before it for a handshake that chose its alias just before a reload. */
  private volatile Loaded current;
  private volatile Loaded previous;
  /** The contents last refused, so a broken pair is parsed and reported once, not on every handshake. */
  private Contents refused;

  private ReloadingServerIdentity(Path certFile, Path keyFile, Loaded first) {
    this.certFile = certFile;
    this.keyFile = keyFile;
    this.current = first;
    this.previous = first;
  }

  /**
   * Reads the pair now.
   *
   * @throws IllegalArgumentException naming the file and what is wrong with it
   */
  public static ReloadingServerIdentity of(Path certFile, Path keyFile) throws IOException {
    return new ReloadingServerIdentity(certFile, keyFile, load(read(certFile, keyFile), certFile, keyFile, 1));
  }

  /** A server context presenting this identity (whatever the files hold at each handshake). */
  public SSLContext serverContext() {
    try {
      SSLContext context = SSLContext.getInstance("TLS");
      context.init(new KeyManager[] {this}, null, null);
      return context;
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("the JDK offers no TLS server context", e);
    }
  }

  /** The certificate chain presented now (the leaf first). */
  public List<X509Certificate> certificateChain() {
    return List.of(current.chain);
  }

  @Override
  public String chooseEngineServerAlias(String keyType, Principal[] issuers, SSLEngine engine) {
    Loaded identity = refreshed();
    return identity.keys.chooseServerAlias(keyType, issuers, null);
  }

  @Override
  public String chooseServerAlias(String keyType, Principal[] issuers, Socket socket) {
    return refreshed().keys.chooseServerAlias(keyType, issuers, socket);
  }

  @Override
  public X509Certificate[] getCertificateChain(String alias) {
    Loaded identity = byAlias(alias);
    return identity == null ? null : identity.chain.clone();
  }

  @Override
  public PrivateKey getPrivateKey(String alias) {
    Loaded identity = byAlias(alias);
    return identity == null ? null : identity.key;
  }

  @Override
  public String[] getServerAliases(String keyType, Principal[] issuers) {
    return current.keys.getServerAliases(keyType, issuers);
  }

  // A server identity only: it never authenticates as a client.
  @Override
  public String[] getClientAliases(String keyType, Principal[] issuers) {
    return null;
  }

  @Override
  public String chooseClientAlias(String[] keyType, Principal[] issuers, Socket socket) {
    return null;
  }

  private Loaded byAlias(String alias) {
    Loaded now = current;
    Loaded before = previous;
    return now.alias.equals(alias) ? now : before.alias.equals(alias) ? before : null;
  }

  /** The pair to present: the files' current one if it changed and is usable, else the one in use. */
  private synchronized Loaded refreshed() {
    Contents contents;
    try {
      contents = read(certFile, keyFile);
    } catch (IOException e) {
      // mid-swap, or the Secret is gone: keep serving what works
      warnOnce(null, "cannot read " + certFile + " or " + keyFile + " (" + e.getMessage() + ")");
      return current;
    }
    if (contents.equals(current.contents) || contents.equals(refused)) {
      return current;
    }
    try {
      Loaded next = load(contents, certFile, keyFile, current.generation + 1);
      previous = current;
      current = next;
      refused = null;
      X509Certificate leaf = next.chain[0];
      LOG.info("loaded the new TLS certificate {} (valid until {}) from {}", leaf.getSubjectX500Principal().getName(),
          leaf.getNotAfter().toInstant(), certFile);
    } catch (IllegalArgumentException e) {
      warnOnce(contents, e.getMessage());
    }
    return current;
  }

  private void warnOnce(Contents broken, String problem) {
    if (broken == null || !broken.equals(refused)) {
      LOG.warn("keeping the TLS certificate {} (valid until {}): the new files cannot be used: {}",
          current.chain[0].getSubjectX500Principal().getName(), current.chain[0].getNotAfter().toInstant(), problem);
    }
    if (broken != null) {
      refused = broken;
    }
  }

  private static Contents read(Path certFile, Path keyFile) throws IOException {
    return new Contents(Files.readAllBytes(certFile), Files.readAllBytes(keyFile));
  }

  private static Loaded load(Contents contents, Path certFile, Path keyFile, long generation) {
    X509Certificate[] chain = Pem.certificates(new String(contents.cert, StandardCharsets.US_ASCII),
        certFile.toString()).toArray(X509Certificate[]::new);
    PrivateKey key = Pem.privateKey(new String(contents.key, StandardCharsets.US_ASCII), keyFile.toString());
    Pem.checkPair(chain[0], key, certFile + " and " + keyFile);
    String alias = "identity-" + generation;
    try {
      char[] password = new char[0];
      KeyStore store = KeyStore.getInstance("PKCS12");
      store.load(null, null);
      store.setKeyEntry(alias, key, password, chain);
      // SunX509 keeps our alias as it is (NewSunX509 would prefix it), so getPrivateKey finds it
      KeyManagerFactory factory = KeyManagerFactory.getInstance("SunX509");
      factory.init(store, password);
      return new Loaded(generation, alias, chain, key, (X509KeyManager) factory.getKeyManagers()[0], contents);
    } catch (GeneralSecurityException | IOException e) {
      throw new IllegalArgumentException("cannot serve TLS with " + certFile + " and " + keyFile + ": "
          + e.getMessage(), e);
    }
  }

  /** The bytes of the two files, compared by content: a renewal may keep the files' names and sizes. */
  private record Contents(byte[] cert, byte[] key) {
    @Override
    public boolean equals(Object o) {
      return o instanceof Contents c && Arrays.equals(cert, c.cert) && Arrays.equals(key, c.key);
    }

    @Override
    public int hashCode() {
      return 31 * Arrays.hashCode(cert) + Arrays.hashCode(key);
    }
  }

  private record Loaded(long generation, String alias, X509Certificate[] chain, PrivateKey key, X509KeyManager keys,
      Contents contents) {
  }
}
