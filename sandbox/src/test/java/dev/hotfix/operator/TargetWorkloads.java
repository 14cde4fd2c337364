package dev.hotfix.operator;

import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.PodTemplateSpecBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import io.fabric8.kubernetes.api.model.apps.DaemonSetBuilder;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.apps.StatefulSetBuilder;
import io.fabric8.kubernetes.client.readiness.Readiness;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/** StatefulSets and DaemonSets to hot-fix in the sandbox, created ready, and their pods. */
final class TargetWorkloads {
  static final String GOOD = "registry.example.com/ledger:2.0.0";
  static final int REPLICAS = 3;
  /** The sandbox's nodes: a DaemonSet runs one pod on each. */
  static final int NODES = 3;
  private static final AtomicInteger SEQ = new AtomicInteger();

  private TargetWorkloads() {
  }

  /** Two containers, env, resources, ports, annotations: a rollback restoring only an image would not match. */
  private static PodTemplateSpec richTemplate(String app) {
    return new PodTemplateSpecBuilder()
        .withNewMetadata().withLabels(Map.of("app", app))
        .withAnnotations(Map.of("prometheus.io/scrape", "true")).endMetadata()
        .withNewSpec()
        .addNewContainer().withName("app").withImage(GOOD)
        .addNewEnv().withName("LEDGER_MODE").withValue("strict").endEnv()
        .addNewPort().withContainerPort(8080).withName("http").endPort()
        .withNewResources().withRequests(Map.of("cpu", new Quantity("100m"))).endResources()
        .endContainer()
        .addNewContainer().withName("log-shipper").withImage("registry.example.com/log-shipper:1.2").endContainer()
        .endSpec().build();
  }

    /** A StatefulSet of 3 on {@link #GOOD}, RollingUpdate with partition 1 (as an owner staging their own rollouts). */
  static String statefulSetReady(ScenarioBed bed, Consumer<StatefulSet> customize) {
    String name = "ledger" + SEQ.incrementAndGet();
    StatefulSet set = new StatefulSetBuilder()
        .withNewMetadata().withName(name).withNamespace(ScenarioBed.NS).endMetadata()
        .withNewSpec().withReplicas(REPLICAS).withServiceName(name)
        .withNewSelector().withMatchLabels(Map.of("app", name)).endSelector()
        .withNewUpdateStrategy().withType("RollingUpdate").withNewRollingUpdate().withPartition(1).endRollingUpdate()
        .endUpdateStrategy()
        .withTemplate(richTemplate(name))
        .endSpec().build();
    customize.accept(set);
    if ("OnDelete".equals(set.getSpec().getUpdateStrategy().getType())) {
      set.getSpec().getUpdateStrategy().setRollingUpdate(null);
    }
    bed.client.apps().statefulSets().inNamespace(ScenarioBed.NS).resource(set).create();
    await().atMost(Duration.ofSeconds(60)).until(() -> podImages(bed, name).size() == REPLICAS && readyPods(bed, name)
        == REPLICAS);
    return name;
  }

  /** A DaemonSet on {@link #GOOD} (one pod per node), RollingUpdate with maxSurge 0 and maxUnavailable 1. */
  static String daemonSetReady(ScenarioBed bed) {
    String name = "agent" + SEQ.incrementAndGet();
    DaemonSet ds = new DaemonSetBuilder()
        .withNewMetadata().withName(name).withNamespace(ScenarioBed.NS).endMetadata()
        .withNewSpec()
        .withNewSelector().withMatchLabels(Map.of("app", name)).endSelector()
        .withNewUpdateStrategy().withType("RollingUpdate").withNewRollingUpdate().withMaxSurge(new IntOrString(0))
        .withMaxUnavailable(new IntOrString(1)).endRollingUpdate().endUpdateStrategy()
        .withTemplate(richTemplate(name))
        .endSpec().build();
    bed.client.apps().daemonSets().inNamespace(ScenarioBed.NS).resource(ds).create();
    await().atMost(Duration.ofSeconds(60)).until(() -> podImages(bed, name).size() == NODES && readyPods(bed, name) == NODES);
    return name;
  }

  static List<Pod> pods(ScenarioBed bed, String app) {
    return bed.client.pods().inNamespace(ScenarioBed.NS).withLabel("app", app).list().getItems().stream()
        .filter(p -> p.getMetadata().getDeletionTimestamp() == null).toList();
  }

  /** The app container's image of each live pod, sorted by pod name. */
  static List<String> podImages(ScenarioBed bed, String app) {
    return pods(bed, app).stream().sorted(Comparator.comparing(p -> p.getMetadata().getName()))
        .map(p -> p.getSpec().getContainers().get(0).getImage()).toList();
  }

  static long readyPods(ScenarioBed bed, String app) {
    return pods(bed, app).stream().filter(Readiness::isPodReady).count();
  }

}
