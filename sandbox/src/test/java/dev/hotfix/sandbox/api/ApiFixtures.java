package dev.hotfix.sandbox.api;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import java.util.List;
import java.util.Map;

/** Objects the API front's tests create: a one-container Deployment and the test CRD's Widget. */
final class ApiFixtures {
  /** The apiVersion of {@code widget-crd.yaml}'s kind. */
  static final String WIDGETS = "sandbox.test/v1alpha1";

  private ApiFixtures() {
  }

  /** An API server with the build's CRDs and the test's Widget CRD. */
  static ApiServer startWithWidgets() {
    ApiServer api = ApiServer.start(ApiServerOptions.defaults());
    api.installCrdYaml(ApiFixtures.class.getResourceAsStream("widget-crd.yaml"));
    return api;
  }

  /** One replica of one container named {@code app}, selected by {@code app=<name>}. */
  static Deployment deployment(String name, String image) {
    return new DeploymentBuilder().withNewMetadata().withName(name).endMetadata()
        .withNewSpec().withReplicas(1).withNewSelector().addToMatchLabels("app", name).endSelector()
        .withNewTemplate().withNewMetadata().addToLabels("app", name).endMetadata()
        .withNewSpec().addNewContainer().withName("app").withImage(image).endContainer().endSpec()
        .endTemplate().endSpec().build();
  }

  /** A Major widget targeting {@code checkout} with one container image. */
  static GenericKubernetesResource widget(String name) {
    GenericKubernetesResource widget = new GenericKubernetesResource();
    widget.setApiVersion(WIDGETS);
    widget.setKind("Widget");
    widget.setMetadata(new ObjectMetaBuilder().withName(name).build());
    widget.setAdditionalProperty("spec", Map.of("severity", "Major", "target", Map.of("name", "checkout"),
        "containers", List.of(Map.of("name", "app", "image", "shop/checkout:1.4.2"))));
    return widget;
  }
}
