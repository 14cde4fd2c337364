package dev.hotfix.sandbox.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.ContainerStatusBuilder;
import io.fabric8.kubernetes.api.model.EventBuilder;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.ReplicaSetBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import dev.hotfix.testing.Kubectl;
import dev.hotfix.testing.Kubectl.Result;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * kubectl's everyday verbs against the sandbox, with the real kubectl binary and nothing but the
 * written kubeconfig.
 */
class KubectlTest {
  @TempDir
  static Path workDir;
  private static ApiServer api;
  private static KubernetesClient client;
  private static Kubectl kubectl;
  private static Path kubeconfig;

  @BeforeAll
  static void start() {
    api = ApiFixtures.startWithWidgets();
    client = api.client();
    kubeconfig = api.writeKubeconfig(workDir.resolve("kubeconfig"));
    kubectl = new Kubectl(kubeconfig);
  }

  @AfterAll
  static void stop() {
    client.close();
    api.close();
  }

  @Test
  void apiResourcesListsBuiltInAndCustomKinds() {
    Result result = kubectl.run("api-resources");

    assertThat(result.exitCode()).as(result.stderr()).isZero();
    assertThat(result.stdout()).containsPattern("deployments\\s+deploy\\s+apps/v1\\s+true\\s+Deployment")
        .containsPattern("widgets\\s+wd\\s+sandbox.test/v1alpha1\\s+true\\s+Widget");
    // the CRDs the build generates (hf, hfp, hfa once they exist) are served too
    ClasspathCrds.load().forEach(crd -> crd.getSpec().getNames().getShortNames()
        .forEach(shortName -> assertThat(result.stdout()).containsPattern("\\s" + shortName + "\\s")));
  }

  @Test
  void getPrintsTablesOfDeploymentsReplicaSetsAndPods() {
    Deployment deployment = client.apps().deployments()
        .resource(ApiFixtures.deployment("tables", "shop/app:crashloop")).create();
    client.apps().replicaSets().resource(new ReplicaSetBuilder().withNewMetadata().withName("tables-5d8f")
        .endMetadata().withNewSpec().withReplicas(1).withNewSelector().addToMatchLabels("app", "tables")
        .endSelector().withTemplate(deployment.getSpec().getTemplate()).endSpec().build()).create();
    Pod pod = client.pods().resource(new PodBuilder().withNewMetadata().withName("tables-5d8f-abcde").endMetadata()
        .withNewSpec().addNewContainer().withName("app").withImage("shop/app:crashloop").endContainer().endSpec()
        .build()).create();
    pod.setStatus(new io.fabric8.kubernetes.api.model.PodStatusBuilder().withPhase("Running")
        .withContainerStatuses(new ContainerStatusBuilder().withName("app").withReady(false).withRestartCount(4)
            .withNewState().withNewWaiting().withReason("CrashLoopBackOff").endWaiting().endState().build())
        .build());
    client.pods().resource(pod).updateStatus();

    Result result = kubectl.run("get", "deploy,rs,pods");

    assertThat(result.exitCode()).as(result.stderr()).isZero();
    assertThat(result.stdout())
        .containsPattern("NAME\\s+READY\\s+UP-TO-DATE\\s+AVAILABLE\\s+AGE")
        .containsPattern("deployment.apps/tables\\s+0/1\\s+0\\s+0\\s+\\d+s")
        .containsPattern("NAME\\s+DESIRED\\s+CURRENT\\s+READY\\s+AGE")
        .containsPattern("replicaset.apps/tables-5d8f\\s+1\\s+0\\s+0\\s+\\d+s")
        .containsPattern("NAME\\s+READY\\s+STATUS\\s+RESTARTS\\s+AGE")
        .containsPattern("pod/tables-5d8f-abcde\\s+0/1\\s+CrashLoopBackOff\\s+4\\s+\\d+s");
  }

  @Test
  void createThenApplyAChangedManifest() {
    Result created = kubectl.runWithInput(deploymentManifest("applied", "nginx:1", 1), "apply", "-f", "-");
    assertThat((created.stdout() + created.stderr())).contains("deployment.apps/applied created");

    Result changed = kubectl.runWithInput(deploymentManifest("applied", "nginx:2", 2), "apply", "-f", "-");

    assertThat((changed.stdout() + changed.stderr())).contains("deployment.apps/applied configured");
    Deployment stored = client.apps().deployments().withName("applied").get();
    assertThat(stored.getSpec().getReplicas()).isEqualTo(2);
    assertThat(stored.getSpec().getTemplate().getSpec().getContainers()).singleElement()
        .satisfies(c -> assertThat(c.getImage()).isEqualTo("nginx:2"));
  }

  @Test
  void patchTypeMergeReplacesAList() {
    client.apps().deployments().resource(ApiFixtures.deployment("merged", "nginx:1")).create();

    Result result = kubectl.run("patch", "deployment", "merged", "--type", "merge", "-p",
        "{\"spec\":{\"template\":{\"spec\":{\"containers\":[{\"name\":\"web\",\"image\":\"nginx:2\"}]}}}}");

    assertThat((result.stdout() + result.stderr())).contains("deployment.apps/merged patched");
    assertThat(client.apps().deployments().withName("merged").get().getSpec().getTemplate().getSpec()
        .getContainers()).singleElement().satisfies(c -> assertThat(c.getName()).isEqualTo("web"));
  }

  @Test
  void patchTypeJson() {
    client.apps().deployments().resource(ApiFixtures.deployment("jsonpatched", "nginx:1")).create();

    Result result = kubectl.run("patch", "deployment", "jsonpatched", "--type", "json", "-p",
        "[{\"op\":\"replace\",\"path\":\"/spec/replicas\",\"value\":3}]");

    assertThat((result.stdout() + result.stderr())).contains("deployment.apps/jsonpatched patched");
    Deployment stored = client.apps().deployments().withName("jsonpatched").get();
    assertThat(stored.getSpec().getReplicas()).isEqualTo(3);
    assertThat(stored.getMetadata().getGeneration()).isEqualTo(2L);
  }

  @Test
  void setImage() {
    client.apps().deployments().resource(ApiFixtures.deployment("imaged", "nginx:1")).create();

    Result result = kubectl.run("set", "image", "deployment/imaged", "app=nginx:1.27");

    assertThat((result.stdout() + result.stderr())).contains("deployment.apps/imaged image updated");
    assertThat(client.apps().deployments().withName("imaged").get().getSpec().getTemplate().getSpec()
        .getContainers().get(0).getImage()).isEqualTo("nginx:1.27");
  }

  @Test
  void scale() {
    client.apps().deployments().resource(ApiFixtures.deployment("scaled", "nginx:1")).create();

    Result result = kubectl.run("scale", "deployment", "scaled", "--replicas=4");

    assertThat((result.stdout() + result.stderr())).contains("deployment.apps/scaled scaled");
    assertThat(client.apps().deployments().withName("scaled").get().getSpec().getReplicas()).isEqualTo(4);
  }

  @Test
  void deleteCascadesToOwnedReplicaSets() {
    Deployment deployment = client.apps().deployments()
        .resource(ApiFixtures.deployment("deleted", "nginx:1")).create();
    client.apps().replicaSets().resource(new ReplicaSetBuilder().withNewMetadata().withName("deleted-1")
        .addNewOwnerReference().withApiVersion("apps/v1").withKind("Deployment").withName("deleted")
        .withUid(deployment.getMetadata().getUid()).endOwnerReference().endMetadata()
        .withNewSpec().withReplicas(1).withSelector(deployment.getSpec().getSelector())
        .withTemplate(deployment.getSpec().getTemplate()).endSpec().build()).create();

    Result result = kubectl.run("delete", "deployment", "deleted");

    assertThat((result.stdout() + result.stderr())).contains("deployment.apps \"deleted\" deleted");
    assertThat(client.apps().deployments().withName("deleted").get()).isNull();
    assertThat(client.apps().replicaSets().withName("deleted-1").get()).isNull();
  }

  @Test
  void waitForAJsonPathOnACustomResource() throws Exception {
    client.genericKubernetesResources(ApiFixtures.WIDGETS, "Widget").resource(ApiFixtures.widget("awaited")).create();
    Process wait = startKubectl("wait", "--for=jsonpath={.status.phase}=Ready", "widget/awaited", "--timeout=30s");
    try {
      // kubectl must be waiting when the status changes: it is still running a moment later
      await().during(Duration.ofMillis(500)).atMost(Duration.ofSeconds(2)).until(wait::isAlive);
      GenericKubernetesResource stored = client.genericKubernetesResources(ApiFixtures.WIDGETS, "Widget")
          .withName("awaited").get();
      stored.setAdditionalProperty("status", Map.of("phase", "Ready"));
      client.genericKubernetesResources(ApiFixtures.WIDGETS, "Widget").resource(stored).updateStatus();

      assertThat(wait.waitFor(30, TimeUnit.SECONDS)).isTrue();
      assertThat(wait.exitValue()).isZero();
      assertThat(new String(wait.getInputStream().readAllBytes(), StandardCharsets.UTF_8))
          .contains("widget.sandbox.test/awaited condition met");
    } finally {
      wait.destroyForcibly();
    }
  }

  @Test
  void getWatchPrintsEachChangeOnceWithTheTableColumns() throws Exception {
    client.genericKubernetesResources(ApiFixtures.WIDGETS, "Widget").resource(ApiFixtures.widget("watched-1")).create();
    Process watch = startKubectl("get", "widgets", "-w");
    List<String> lines = new CopyOnWriteArrayList<>();
    Thread reader = new Thread(() -> new BufferedReader(new InputStreamReader(watch.getInputStream(),
        StandardCharsets.UTF_8)).lines().forEach(lines::add));
    reader.start();
    try {
      await().atMost(Duration.ofSeconds(10)).until(() -> lines.stream().anyMatch(l -> l.startsWith("watched-1")));
      client.genericKubernetesResources(ApiFixtures.WIDGETS, "Widget").resource(ApiFixtures.widget("watched-2"))
          .create();
      client.genericKubernetesResources(ApiFixtures.WIDGETS, "Widget").withName("watched-1").delete();

      await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(lines)
          .filteredOn(l -> l.startsWith("watched-2")).hasSize(1));
      await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(lines)
          .filteredOn(l -> l.startsWith("watched-1")).hasSize(2));
      assertThat(lines.get(0)).containsPattern("NAME\\s+TARGET\\s+IMAGE\\s+PHASE\\s+AGE");
      assertThat(lines).filteredOn(l -> l.startsWith("watched-"))
          .allSatisfy(l -> assertThat(l).containsPattern("checkout\\s+shop/checkout:1.4.2\\s+\\d+s"));
    } finally {
      watch.destroyForcibly();
    }
  }

  @Test
  void describeAndGetEventsShowTheEventsOfAnObject() {
    GenericKubernetesResource widget = client.genericKubernetesResources(ApiFixtures.WIDGETS, "Widget")
        .resource(ApiFixtures.widget("eventful")).create();
    String now = Instant.now().truncatedTo(ChronoUnit.SECONDS).toString();
    for (String name : List.of("eventful", "other")) {
      client.v1().events().resource(new EventBuilder().withNewMetadata().withName(name + ".1").endMetadata()
          .withType("Normal").withReason("Started").withMessage("rolling out " + name)
          .withFirstTimestamp(now).withLastTimestamp(now).withNewInvolvedObject().withApiVersion(ApiFixtures.WIDGETS)
          .withKind("Widget").withName(name).withNamespace("default")
          .withUid(name.equals("eventful") ? widget.getMetadata().getUid() : "another-uid").endInvolvedObject()
          .build()).create();
    }

    Result described = kubectl.run("describe", "widget", "eventful");
    Result events = kubectl.run("get", "events");

    assertThat(described.stdout()).containsPattern("Normal\\s+Started\\s+\\d+s\\s+rolling out eventful")
        .doesNotContain("rolling out other");
    assertThat(events.stdout()).containsPattern("LAST SEEN\\s+TYPE\\s+REASON\\s+OBJECT\\s+MESSAGE")
        .containsPattern("\\d+s\\s+Normal\\s+Started\\s+widget/eventful\\s+rolling out eventful");
  }

  @Test
  void fieldSelectorsOnAnyField() {
    for (String phase : List.of("Running", "Pending")) {
      Pod pod = client.pods().resource(new PodBuilder().withNewMetadata().withName("phase-" + phase.toLowerCase())
          .endMetadata().withNewSpec().addNewContainer().withName("app").withImage("nginx:1").endContainer()
          .endSpec().build()).create();
      pod.setStatus(new io.fabric8.kubernetes.api.model.PodStatusBuilder().withPhase(phase).build());
      client.pods().resource(pod).updateStatus();
    }

    Result result = kubectl.run("get", "pods", "--field-selector", "status.phase=Running", "-o", "name");

    assertThat(result.stdout()).contains("pod/phase-running").doesNotContain("pod/phase-pending");
  }

  @Test
  void getPrintsUpstreamColumnsForConfigMapsSecretsAndLeases() {
    client.configMaps().resource(new io.fabric8.kubernetes.api.model.ConfigMapBuilder().withNewMetadata()
        .withName("columns").endMetadata().addToData("a", "1").addToData("b", "2").build()).create();
    client.secrets().resource(new io.fabric8.kubernetes.api.model.SecretBuilder().withNewMetadata()
        .withName("columns").endMetadata().withType("kubernetes.io/basic-auth").addToData("username", "YQ==")
        .build()).create();
    client.leases().resource(new io.fabric8.kubernetes.api.model.coordination.v1.LeaseBuilder().withNewMetadata()
        .withName("columns").endMetadata().withNewSpec().withHolderIdentity("operator-0").endSpec().build()).create();

    Result result = kubectl.run("get", "configmap/columns", "secret/columns", "lease/columns");

    assertThat(result.stdout()).containsPattern("configmap/columns\\s+2\\s+\\d+s")
        .containsPattern("secret/columns\\s+kubernetes.io/basic-auth\\s+1\\s+\\d+s")
        .containsPattern("lease.coordination.k8s.io/columns\\s+operator-0\\s+\\d+s");
  }

  @Test
  void getCrdsShowsWhenTheyWereCreated() {
    Result result = kubectl.run("get", "crd", "widgets.sandbox.test");

    assertThat(result.stdout()).containsPattern("NAME\\s+CREATED AT")
        .containsPattern("widgets.sandbox.test\\s+\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\dZ");
  }

  @Test
  void getOfAMissingObjectPrintsNotFound() {
    Result result = kubectl.run("get", "deployment", "missing");

    assertThat(result.exitCode()).isNotZero();
    assertThat(result.stderr()).contains("Error from server (NotFound): deployments.apps \"missing\" not found");
  }

  @Test
  void getCustomResourcesAsTableAndYaml() {
    client.genericKubernetesResources(ApiFixtures.WIDGETS, "Widget").resource(ApiFixtures.widget("listed")).create();

    Result table = kubectl.run("get", "wd", "listed");
    Result yaml = kubectl.run("get", "wd", "listed", "-o", "yaml");

    assertThat(table.stdout()).containsPattern("NAME\\s+TARGET\\s+IMAGE\\s+PHASE\\s+AGE")
        // an unset column is blank, as on a real cluster
        .containsPattern("listed\\s+checkout\\s+shop/checkout:1.4.2\\s+\\d+s");
    assertThat(yaml.exitCode()).as(yaml.stderr()).isZero();
    assertThat(yaml.stdout()).contains("kind: Widget", "name: listed", "severity: Major", "uid: ");
  }

  @Test
  void explainDescribesCustomResourceFields() {
    Result result = kubectl.run("explain", "widget.spec");

    assertThat(result.exitCode()).as(result.stderr()).isZero();
    assertThat(result.stdout()).contains("KIND:       Widget", "What the widget should be.")
        .containsPattern("severity\\s+<string> -required-").contains("How urgent the widget is.")
        .containsPattern("containers\\s+<\\[\\]Object>");
  }

  @Test
  void explainDescribesEveryFieldOfTheHotfixSpec() {
    var hotfix = ClasspathCrds.load().stream().filter(crd -> crd.getMetadata().getName().equals("hotfixes.hotfix.dev"))
        .findFirst().orElseThrow(() -> new AssertionError("the build generates the Hotfix CRD"));
    var specFields = hotfix.getSpec().getVersions().get(0).getSchema().getOpenAPIV3Schema().getProperties()
        .get("spec").getProperties();

    Result result = kubectl.run("explain", "hotfix.spec");

    assertThat(result.exitCode()).as(result.stderr()).isZero();
    assertThat(result.stdout()).contains("KIND:       Hotfix", "GROUP:      hotfix.dev");
    specFields.forEach((name, schema) -> {
      assertThat(result.stdout()).containsPattern("\\n  " + name + "\\s+<");
      assertThat(schema.getDescription()).as("description of spec.%s", name).isNotBlank();
      // kubectl wraps descriptions: look for their first words
      String[] words = schema.getDescription().trim().split("\\s+");
      String opening = String.join("\\s+", java.util.Arrays.stream(words).limit(4).map(Pattern::quote).toList());
      assertThat(result.stdout()).containsPattern(opening);
    });
  }

  @Test
  void serverSideApplyIsRefusedWithAClearMessage() {
    Result result = kubectl.runWithInput(deploymentManifest("ssa", "nginx:1", 1),
        "apply", "--server-side", "-f", "-");

    assertThat(result.exitCode()).isNotZero();
    assertThat(result.stderr()).contains("does not support server-side apply",
        "use client-side 'kubectl apply' (without --server-side)");
    assertThat(client.apps().deployments().withName("ssa").get()).isNull();
  }

  @Test
  void generatorsForSimpleKindsAndAuthCanI() {
    assertThat(kubectl.run("create", "namespace", "generated").stdout()).contains("namespace/generated created");
    assertThat(kubectl.run("create", "configmap", "generated", "-n", "generated", "--from-literal=a=b").stdout())
        .contains("configmap/generated created");
    assertThat(kubectl.run("create", "secret", "generic", "generated", "-n", "generated", "--from-literal=p=q")
        .stdout()).contains("secret/generated created");
    assertThat(kubectl.run("auth", "can-i", "delete", "pods").stdout().trim()).isEqualTo("yes");

    assertThat(client.configMaps().inNamespace("generated").withName("generated").get().getData())
        .containsEntry("a", "b");
    assertThat(client.secrets().inNamespace("generated").withName("generated").get().getData())
        .containsEntry("p", "cQ==");
  }

  @Test
  void generatorsForOtherKindsAreToldToUseManifests() {
    Result result = kubectl.run("create", "deployment", "generated", "--image=nginx:1");

    assertThat(result.exitCode()).isNotZero();
    assertThat(result.stderr()).contains("write a manifest and use 'kubectl apply -f'");
  }

  /** kubectl left running (wait, get -w); the caller destroys it. */
  private static Process startKubectl(String... args) throws IOException {
    List<String> command = new ArrayList<>(List.of("kubectl", "--kubeconfig=" + kubeconfig));
    command.addAll(List.of(args));
    return new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.DISCARD).start();
  }

  private static String deploymentManifest(String name, String image, int replicas) {
    return """
        apiVersion: apps/v1
        kind: Deployment
        metadata:
          name: %1$s
        spec:
          replicas: %3$d
          selector:
            matchLabels: {app: %1$s}
          template:
            metadata:
              labels: {app: %1$s}
            spec:
              containers:
                - name: app
                  image: %2$s
        """.formatted(name, image, replicas);
  }
}
