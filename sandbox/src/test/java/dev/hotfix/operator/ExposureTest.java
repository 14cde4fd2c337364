package dev.hotfix.operator;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hotfix.api.v1alpha1.RollbackCause;
import dev.hotfix.api.v1alpha1.ExposureStage;
import dev.hotfix.api.v1alpha1.Hotfix;
import dev.hotfix.api.v1alpha1.HotfixStatus;
import dev.hotfix.api.v1alpha1.Phase;
import dev.hotfix.api.v1alpha1.RevisionRecord;
import dev.hotfix.health.Verdict;
import dev.hotfix.json.KubernetesJson;
import dev.hotfix.rollout.DeploymentRevisions;
import dev.hotfix.testing.HotfixFixtures;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/**
 * {@code status.exposure} from observations, without a cluster: figures that change only with a
 * count (so a pod event that changes none writes no status), frozen at the verdict, and the
 * bound on the Deployment's rollout enforced.
 */
class ExposureTest {
  private static final Instant NOW = Instant.parse("2026-12-05T10:00:00Z");

  @Test
  void aPodEventThatChangesNoCountChangesNothingInStatus() {
    Hotfix h = rollingOut();
    List<Pod> pods = new ArrayList<>(List.of(pod("new", "a", NOW.minusSeconds(10)), pod("new", "b",
        NOW.minusSeconds(4))));
    HotfixStatus first = recorded(h, pods, NOW, Phase.RollingOut);
    assertThat(first.exposure.stage).isEqualTo(ExposureStage.Rollout);
    assertThat(first.exposure.bound).as("3 replicas + maxSurge 1").isEqualTo(4);
    assertThat(first.exposure.podsOnNewRevision).isEqualTo(2);
    assertThat(first.exposure.maxPodsOnNewRevision).isEqualTo(2);
    assertThat(first.exposure.firstPodCreatedAt).isEqualTo(NOW.minusSeconds(10).toString());
    assertThat(first.exposure.longestExposureSeconds).isEqualTo(10);

    h.setStatus(first);
    HotfixStatus later = recorded(h, pods, NOW.plusSeconds(5), Phase.RollingOut);
    assertThat(Serialization.asJson(later)).as("5 s later, the same pods").isEqualTo(Serialization.asJson(first));

    pods.add(pod("new", "c", NOW.plusSeconds(6)));
    HotfixStatus third = recorded(h, pods, NOW.plusSeconds(7), Phase.RollingOut);
    assertThat(third.exposure.podsOnNewRevision).isEqualTo(3);
    assertThat(third.exposure.maxPodsOnNewRevision).isEqualTo(3);
    assertThat(third.exposure.longestExposureSeconds).as("refreshed with the count").isEqualTo(17);
    assertThat(third.exposure.verdictAt).isNull();
  }

  @Test
  void theVerdictFreezesTheMostAndTheLongest() {
    Hotfix h = rollingOut();
    List<Pod> pods = List.of(pod("new", "a", NOW.minusSeconds(10)), pod("new", "b", NOW.minusSeconds(4)));
    h.setStatus(recorded(h, pods, NOW, Phase.RollingOut));

    HotfixStatus judged = recorded(h, pods, NOW.plusSeconds(3), Phase.RollingBack);
    assertThat(judged.exposure.verdictAt).isEqualTo(NOW.plusSeconds(3).toString());
    assertThat(judged.exposure.longestExposureSeconds).as("the first pod, to the verdict").isEqualTo(13);

    h.setStatus(judged);
    h.getStatus().phase = Phase.RollingBack;
    List<Pod> more = List.of(pods.get(0), pods.get(1), pod("new", "c", NOW.plusSeconds(4)));
    HotfixStatus after = recorded(h, more, NOW.plusSeconds(20), Phase.RollingBack);
    assertThat(after.exposure.podsOnNewRevision).as("still counted during the rollback").isEqualTo(3);
    assertThat(after.exposure.maxPodsOnNewRevision).as("frozen at the verdict").isEqualTo(2);
    assertThat(after.exposure.longestExposureSeconds).isEqualTo(13);
    assertThat(recorded(h, List.of(), NOW.plusSeconds(30), Phase.RolledBack).exposure.podsOnNewRevision).isZero();
  }

  @Test
  void morePodsOfTheNewRevisionThanReplicasPlusSurgeIsAFaultOfExposure() {
    Hotfix h = rollingOut();
    List<Pod> four = IntStream.range(0, 4).mapToObj(i -> pod("new", "p" + i, NOW)).toList();
    h.setStatus(recorded(h, four, NOW, Phase.RollingOut));
    assertThat(Exposure.exceeded(observe(h, four, NOW))).as("4 within 3 + 1").isEmpty();

    List<Pod> five = IntStream.range(0, 5).mapToObj(i -> pod("new", "p" + i, NOW)).toList();
    Optional<Verdict> over = Exposure.exceeded(observe(h, five, NOW));

    assertThat(over).hasValueSatisfying(v -> {
      assertThat(v.isFailed()).isTrue();
      assertThat(v.cause()).isEqualTo(RollbackCause.Exposure);
      assertThat(v.message()).startsWith("5 pods of the new revision (pod-template-hash new), above the bound of 4");
    });
    List<Pod> fiveLeaving = new ArrayList<>(four);
    fiveLeaving.add(new PodBuilder(pod("new", "gone", NOW)).editMetadata().withDeletionTimestamp(NOW.toString())
        .endMetadata().build());
    assertThat(Exposure.exceeded(observe(h, fiveLeaving, NOW))).as("a pod being deleted runs no more").isEmpty();
  }

  /** The status {@link StatusWriter} would write: the step's phase set, then the exposure edit. */
  private static HotfixStatus recorded(Hotfix h, List<Pod> pods, Instant now, Phase stepPhase) {
    HotfixStatus s = KubernetesJson.SERIALIZATION.convertValue(h.getStatus(), HotfixStatus.class);
    s.phase = stepPhase;
    Exposure.record(s, observe(h, pods, now));
    return s;
  }

  private static Observation observe(Hotfix h, List<Pod> pods, Instant now) {
    DeploymentRevisions revisions = new DeploymentRevisions(deployment(), List.of());
    return new Observation(h, EffectiveSpec.of(h.getSpec()), Optional.of(revisions), pods, List.of(), now);
  }

  private static Pod pod(String hash, String name, Instant created) {
    return new PodBuilder().withNewMetadata().withName("web-" + hash + "-" + name).withNamespace("shop")
        .withCreationTimestamp(created.toString()).addToLabels("pod-template-hash", hash).endMetadata()
        .withNewStatus().withPhase("Running").endStatus().build();
  }

  /** A Hotfix in RollingOut whose new revision (hash "new") the Deployment controller created. */
  private static Hotfix rollingOut() {
    Hotfix h = HotfixFixtures.critical("shop", "fix", "web", "web:2", spec -> { });
    HotfixStatus s = new HotfixStatus();
    s.phase = Phase.RollingOut;
    s.applied = new RevisionRecord();
    s.applied.podTemplateHash = "new";
    h.setStatus(s);
    return h;
  }

  private static Deployment deployment() {
    return new DeploymentBuilder().withNewMetadata().withName("web").withNamespace("shop").endMetadata()
        .withNewSpec().withReplicas(3).withNewTemplate().withNewMetadata().addToLabels("app", "web").endMetadata()
        .withNewSpec().addNewContainer().withName("app").withImage("web:2").endContainer().endSpec().endTemplate()
        .endSpec().build();
  }
}
