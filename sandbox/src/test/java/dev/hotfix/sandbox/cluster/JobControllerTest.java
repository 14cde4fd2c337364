package dev.hotfix.sandbox.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.JobCondition;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.Watch;
import io.fabric8.kubernetes.client.Watcher;
import io.fabric8.kubernetes.client.WatcherException;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The sandbox's Job controller and run-to-completion pods, against upstream's rules: a Job of a
 * {@code smoke-pass} image completes; of a {@code smoke-fail} image it retries up to its
 * backoffLimit and then fails (BackoffLimitExceeded); one still running at activeDeadlineSeconds
 * fails (DeadlineExceeded) and its pod is removed; a finished Job goes after its TTL; the pods'
 * logs are served through {@code pods/log}.
 */
class JobControllerTest {
  private static final Duration WAIT = Duration.ofSeconds(20);
  @RegisterExtension static final SandboxFixture sandbox = new SandboxFixture();

  @BeforeAll
  static void servesLogs() {
    sandbox.server.serveLogs(ContainerLogs::of);
  }

  @Test
  void aPassingSmokeTestCompletesAndItsLogSaysSo() {
    Job job = create(job("passes", "tests:1-smoke-pass", 0, null, null));

    Job done = awaitCondition(job, "Complete");

    assertThat(done.getStatus().getSucceeded()).isEqualTo(1);
    assertThat(done.getStatus().getFailed()).isZero();
    assertThat(done.getStatus().getCompletionTime()).isNotNull();
    assertThat(condition(done, "SuccessCriteriaMet")).isPresent();
    Pod pod = onlyPod("passes");
    assertThat(pod.getStatus().getPhase()).isEqualTo("Succeeded");
    assertThat(pod.getMetadata().getLabels()).containsEntry(JobController.JOB_NAME_LABEL, "passes")
        .containsEntry("controller-uid", done.getMetadata().getUid());
    assertThat(pod.getStatus().getConditions()).filteredOn(c -> c.getType().equals("Ready")).singleElement()
        .satisfies(c -> assertThat(c.getReason()).isEqualTo("PodCompleted"));
    String log = sandbox.client.pods().inNamespace(SandboxFixture.NS).withName(pod.getMetadata().getName()).getLog();
    assertThat(log).contains("smoke test: 2 of 2 checks passed").endsWith("exited with code 0\n");
    assertThat(sandbox.client.pods().inNamespace(SandboxFixture.NS).withName(pod.getMetadata().getName())
        .tailingLines(1).getLog()).isEqualTo("exited with code 0\n");
  }

  @Test
  void aFailingSmokeTestIsRetriedUpToItsBackoffLimitThenFails() {
    Job job = create(job("fails", "tests:1-smoke-fail", 1, null, null));

    Job done = awaitCondition(job, "Failed");

    assertThat(condition(done, "Failed").orElseThrow().getReason()).isEqualTo("BackoffLimitExceeded");
    assertThat(condition(done, "FailureTarget")).isPresent();
    assertThat(condition(done, "Complete")).isEmpty();
    assertThat(done.getStatus().getFailed()).as("the first pod and its one retry").isEqualTo(2);
    List<Pod> pods = pods("fails");
    assertThat(pods).hasSize(2).allSatisfy(p -> assertThat(p.getStatus().getPhase()).isEqualTo("Failed"));
    assertThat(sandbox.client.pods().inNamespace(SandboxFixture.NS).withName(pods.get(0).getMetadata().getName())
        .getLog()).contains("1 of 2 checks failed").endsWith("exited with code 1\n");
  }

  @Test
  void aJobRunningPastItsActiveDeadlineFailsAndItsPodIsRemoved() {
    Job job = create(job("hangs", "tests:1", 6, 2L, null));

    Job done = awaitCondition(job, "Failed");

    assertThat(condition(done, "Failed").orElseThrow().getReason()).isEqualTo("DeadlineExceeded");
    await().atMost(WAIT).untilAsserted(() -> assertThat(pods("hangs")).isEmpty());
  }

  @Test
  void aFinishedJobIsDeletedAfterItsTtlWithItsPods() {
    // A 1 s TTL can expire between two polls on a loaded machine: the watch sees every state.
    List<Job> seen = new CopyOnWriteArrayList<>();
    try (Watch watch = sandbox.client.batch().v1().jobs().inNamespace(SandboxFixture.NS).withName("expires")
        .watch(new Watcher<>() {
          @Override
          public void eventReceived(Action action, Job job) {
            seen.add(job);
          }

          @Override
          public void onClose(WatcherException cause) {}
        })) {
      create(job("expires", "tests:1-smoke-pass", 0, null, 1));

      await().atMost(WAIT).untilAsserted(() -> {
        assertThat(sandbox.client.batch().v1().jobs().inNamespace(SandboxFixture.NS).withName("expires").get())
            .isNull();
        assertThat(pods("expires")).isEmpty();
      });
      assertThat(seen).as("the Job completed before its TTL removed it")
          .anySatisfy(j -> assertThat(condition(j, "Complete")).isPresent());
    }
  }

  @Test
  void aLogOfAContainerNotYetStartedIsRefusedAsUpstreamRefusesIt() {
    Job job = create(job("waits", "tests:1-pullerr", 0, null, null));
    await().atMost(WAIT).until(() -> pods("waits").size() == 1);
    String pod = pods("waits").get(0).getMetadata().getName();

    assertThatThrownBy(() -> sandbox.client.pods().inNamespace(SandboxFixture.NS).withName(pod).getLog())
        .isInstanceOfSatisfying(KubernetesClientException.class, e -> {
          assertThat(e.getCode()).isEqualTo(400);
          assertThat(e.getMessage()).contains("container \"test\" in pod \"" + pod + "\" is waiting to start");
        });
    sandbox.client.resource(job).delete();
  }

  private static Job job(String name, String image, int backoffLimit, Long deadline, Integer ttl) {
    return new JobBuilder().withNewMetadata().withName(name).withNamespace(SandboxFixture.NS).endMetadata()
        .withNewSpec().withBackoffLimit(backoffLimit).withActiveDeadlineSeconds(deadline)
        .withTtlSecondsAfterFinished(ttl)
        .withNewTemplate().withNewSpec().withRestartPolicy("Never").addNewContainer().withName("test")
        .withImage(image).endContainer().endSpec().endTemplate().endSpec().build();
  }

  private static Job create(Job job) {
    return sandbox.client.batch().v1().jobs().inNamespace(SandboxFixture.NS).resource(job).create();
  }

  private static Job awaitCondition(Job job, String type) {
    return await().atMost(WAIT).until(() -> sandbox.client.batch().v1().jobs().inNamespace(SandboxFixture.NS)
        .withName(job.getMetadata().getName()).get(), j -> j != null && condition(j, type).isPresent());
  }

  private static Optional<JobCondition> condition(Job job, String type) {
    return job.getStatus() == null || job.getStatus().getConditions() == null ? Optional.empty()
        : job.getStatus().getConditions().stream().filter(c -> type.equals(c.getType())
            && "True".equals(c.getStatus())).findFirst();
  }

  private static List<Pod> pods(String job) {
    return sandbox.client.pods().inNamespace(SandboxFixture.NS).withLabel(JobController.JOB_NAME_LABEL, job).list()
        .getItems();
  }

  private static Pod onlyPod(String job) {
    List<Pod> pods = pods(job);
    assertThat(pods).hasSize(1);
    return pods.get(0);
  }
}
