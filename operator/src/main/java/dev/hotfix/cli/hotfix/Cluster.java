package dev.hotfix.cli.hotfix;

import dev.hotfix.api.v1alpha1.Hotfix;
import io.fabric8.kubernetes.api.model.NamedContext;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * The cluster and namespace a {@code hotfix} subcommand works on, found as kubectl finds them:
 * {@code --kubeconfig} or else {@code KUBECONFIG} / {@code ~/.kube/config} (or the in-cluster
 * service account), {@code --context} or else the current context, {@code -n} or else the
 * context's namespace (or {@code default}).
 */
final class Cluster implements AutoCloseable {
  final KubernetesClient client;
  final Config config;
  final String namespace;

  private Cluster(Config config, String namespace) {
    this.config = config;
    this.namespace = namespace;
    this.client = new KubernetesClientBuilder().withConfig(config).build();
  }

  /** Connects with the {@code hotfix} command's options. */
  static Cluster connect(HotfixCommand options) {
    if (options.as == null && !options.asGroups.isEmpty()) {
      throw new CliError("--as-group needs --as USER: groups are impersonated together with a user");
    }
    return connect(options.kubeconfig, options.context, options.namespace, options.as, options.asGroups);
  }

  static Cluster connect(Path kubeconfig, String context, String namespace, String as, List<String> asGroups) {
    Config config;
    if (kubeconfig != null) {
      if (!Files.isReadable(kubeconfig)) {
        throw new CliError("cannot read kubeconfig " + kubeconfig);
      }
      config = Config.fromKubeconfig(context, kubeconfig.toFile());
    } else {
      config = Config.autoConfigure(context);
    }
    if (context != null && (config.getCurrentContext() == null
        || !context.equals(config.getCurrentContext().getName()))) {
      throw new CliError("context \"" + context + "\" not found in the kubeconfig" + (kubeconfig == null ? ""
          : " " + kubeconfig) + "; known contexts: " + config.getContexts().stream().map(NamedContext::getName)
          .toList());
    }
    // a person is waiting: fail fast instead of the client's retries with backoff
    config.setRequestRetryBackoffLimit(0);
    if (as != null) {
      config.setImpersonateUsername(as);
      config.setImpersonateGroups(asGroups.toArray(String[]::new));
    }
    String ns = namespace != null ? namespace : config.getNamespace() != null ? config.getNamespace() : "default";
    return new Cluster(config, ns);
  }

  /** The Hotfix {@code name} in this namespace, or an error that names the namespace. */
  Hotfix hotfix(String name) {
    Hotfix h = client.resources(Hotfix.class).inNamespace(namespace).withName(name).get();
    if (h == null) {
      throw new CliError("Hotfix \"" + name + "\" not found in namespace " + namespace
          + " (list them with: kubectl hotfix list -n " + namespace + ")");
    }
    return h;
  }

  /** The kubeconfig's user entry of the current context, as the identity of last resort. */
  String kubeconfigUser() {
    NamedContext current = config.getCurrentContext();
    if (current != null && current.getContext() != null && current.getContext().getUser() != null) {
      return current.getContext().getUser();
    }
    return config.getUsername();
  }

  @Override
  public void close() {
    client.close();
  }
}
