package dev.hotfix.kube;

import io.fabric8.kubernetes.client.KubernetesClientException;

/** How a failed call to the Kubernetes API is told in status messages, check tallies and logs. */
public final class ApiErrors {

  private ApiErrors() {
  }

  /** What failed, as short as people need it: the API's status code and message, or the root cause. */
  public static String describe(Throwable e) {
    Throwable root = e;
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof KubernetesClientException k && k.getCode() > 0) {
        String message = k.getStatus() != null && k.getStatus().getMessage() != null ? k.getStatus().getMessage()
            : String.valueOf(k.getMessage());
        return "the Kubernetes API answered HTTP " + k.getCode() + ": " + shorten(message);
      }
      root = t;
    }
    return root.getClass().getSimpleName() + ": " + shorten(String.valueOf(root.getMessage()));
  }

  private static String shorten(String message) {
    return message.length() > 200 ? message.substring(0, 200) + "..." : message;
  }
}
