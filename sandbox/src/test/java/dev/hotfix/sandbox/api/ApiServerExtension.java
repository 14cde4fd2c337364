package dev.hotfix.sandbox.api;

import io.fabric8.kubernetes.client.KubernetesClient;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/** One sandbox API server (no simulated cluster) and an admin client for a whole test class. */
final class ApiServerExtension implements BeforeAllCallback, AfterAllCallback {
  ApiServer api;
  KubernetesClient client;

  @Override
  public void beforeAll(ExtensionContext context) {
    api = ApiServer.start(ApiServerOptions.defaults());
    client = api.client();
  }

  @Override
  public void afterAll(ExtensionContext context) {
    client.close();
    api.close();
  }
}
