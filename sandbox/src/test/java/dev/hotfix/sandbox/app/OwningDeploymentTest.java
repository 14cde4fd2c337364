package dev.hotfix.sandbox.app;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import org.junit.jupiter.api.Test;

class OwningDeploymentTest {

  @Test
  void replicaSetOwnerWithoutTheTemplateHashSuffixNamesTheDeployment() {
    Pod pod = ownedBy("ReplicaSet", "check-out-5d8f7c9b4").addToLabels("pod-template-hash",
        "5d8f7c9b4").addToLabels("app", "other").endMetadata().build();
    assertThat(OwningDeployment.nameOf(pod)).isEqualTo("check-out");
  }

  @Test
  void replicaSetWithoutAMatchingHashIsItsOwnDeployment() {
    Pod pod = ownedBy("ReplicaSet", "batch-rs").addToLabels("pod-template-hash", "abc")
        .endMetadata().build();
    assertThat(OwningDeployment.nameOf(pod)).isEqualTo("batch-rs");
  }

  @Test
  void otherOwnersFallBackToTheAppLabel() {
    Pod pod = ownedBy("StatefulSet", "db").addToLabels("app", "postgres").endMetadata().build();
    assertThat(OwningDeployment.nameOf(pod)).isEqualTo("postgres");
  }

  @Test
  void aBarePodWithoutAppLabelIsNamedAfterItself() {
    Pod pod = new PodBuilder().withNewMetadata().withName("debug-shell").endMetadata().build();
    assertThat(OwningDeployment.nameOf(pod)).isEqualTo("debug-shell");
  }

  private static PodBuilder.MetadataNested<PodBuilder> ownedBy(String kind, String name) {
    return new PodBuilder()
        .withNewMetadata()
        .withName(name + "-x1")
        .addNewOwnerReference()
        .withKind(kind)
        .withName(name)
        .endOwnerReference();
  }
}
