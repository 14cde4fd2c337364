package dev.hotfix.sandbox.api;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The kubeconfig that points kubectl (and the operator's {@code run}) at the sandbox: no TLS, no
 * credentials, so its requests act as {@link UserInfo#SANDBOX_ADMIN} (see {@link Users}).
 */
final class Kubeconfig {
  /** The cluster, context and user name. */
  static final String NAME = "hotfix-sandbox";

  private Kubeconfig() {
  }

  /** Writes the kubeconfig (creating parent folders) and returns its path; {@code token} may be null (none). */
  static Path write(Path file, URI server, String token) {
    String yaml = """
        apiVersion: v1
        kind: Config
        clusters:
        - name: %1$s
          cluster:
            server: %2$s
        contexts:
        - name: %1$s
          context:
            cluster: %1$s
            user: %1$s
            namespace: default
        current-context: %1$s
        users:
        - name: %1$s
          user: %3$s
        """.formatted(NAME, server, token == null ? "{}" : "{token: " + token + "}");
    try {
      Path parent = file.toAbsolutePath().getParent();
      if (parent != null) {
        Files.createDirectories(parent);
      }
      return Files.writeString(file, yaml);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write the kubeconfig " + file, e);
    }
  }
}
