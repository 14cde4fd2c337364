package dev.hotfix.operator;

import dev.hotfix.api.v1alpha1.PreflightResult;
import dev.hotfix.api.v1alpha1.RevisionRecord;
import dev.hotfix.api.v1alpha1.TargetKind;
import dev.hotfix.health.prometheus.MetricAnalysis;
import dev.hotfix.rollout.DeploymentPatch;
import dev.hotfix.rollout.DeploymentRevisions;
import dev.hotfix.rollout.TemplateReferences;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.ResourceQuota;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.function.Function;

/**
 * Pre-flight, the last thing Pending does before the first write: asks the API server what it
 * would say about that write and whether the way back still exists, so that a Hotfix the cluster
 * would refuse, or could not roll back, ends Rejected with nothing changed instead of half-way.
 * Every check runs (a person fixes all at once); the metric checks' part is
 * {@link MetricAnalysis#preflight}.
 *
 * <ul>
 *   <li>{@value #ROLLBACK_TARGET}: the ReplicaSet a rollback restores is still on the server
 *       (the informer cache can lag a deletion or a prune) with the recorded pod template;
 *   <li>{@value #ROLLBACK_REFERENCES}: the ConfigMaps and Secrets its template cannot start
 *       without still exist (a Secret the operator may not read is reported, not refused);
 *   <li>{@value #QUOTA}: a namespace pod quota leaves room for the rollout's first new pods
 *       (maxSurge; the dry run of a Deployment patch creates no pods, upstream alike, so it
 *       cannot meet the pod quota);
 *   <li>{@value #DRY_RUN}: the exact patch, sent with {@code dryRun=All}: validation, mutating and
 *       validating webhooks (told it is a dry run), and nothing stored.
 * </ul>
 */
final class PreflightChecks {
  static final String DRY_RUN = "dry-run";
  static final String QUOTA = "quota";
  static final String ROLLBACK_TARGET = "rollback-target";
  static final String ROLLBACK_REFERENCES = "rollback-references";
  private static final List<String> POD_QUOTA_KEYS = List.of("pods", "count/pods");

  private final ClusterProbe probe;

  PreflightChecks(ClusterProbe probe) {
    this.probe = probe;
  }

  /**
   * Why the cache cannot be trusted to refuse the Hotfix yet, if it cannot: the server has the
   * target and the cache does not, or the server's spec is newer (a higher generation). A target
   * applied with its Hotfix in one {@code kubectl apply} or GitOps sync reaches the operator on
   * its own watch, which may deliver it after the Hotfix's.
   */
  Optional<String> cacheBehindTarget(Observation o) {
    String name = o.hotfix().getSpec().target.name;
    OptionalLong server = probe.targetGeneration(o.targetKind(), o.hotfix().getMetadata().getNamespace(), name);
    if (server.isEmpty()) {
      return Optional.empty();
    }
    String waiting = "waiting for the operator's watch of " + o.targetKind() + " " + name;
    if (o.target().isEmpty()) {
      return Optional.of(waiting + " to deliver it (the API server has it, created just before this Hotfix)");
    }
    Long cached = o.target().get().workload().getMetadata().getGeneration();
    long seen = cached == null ? 0 : cached;
    return seen < server.getAsLong() ? Optional.of(waiting + " to deliver its latest spec (generation "
        + server.getAsLong() + " on the API server, " + seen + " seen) before judging it") : Optional.empty();
  }

  /**
   * What pre-flight found.
   *
   * @param results one per check, in the order they ran
   * @param after the Deployment as the dry run answered it, empty when the server refused it
   */
  record Outcome(List<PreflightResult> results, Optional<HasMetadata> after) {

    /** The refused checks' messages, joined; empty when every check passed. */
    Optional<String> refusal() {
      List<String> failed = results.stream().filter(r -> !Boolean.TRUE.equals(r.passed))
          .map(r -> "pre-flight " + r.name + ": " + r.message).toList();
      return failed.isEmpty() ? Optional.empty() : Optional.of(String.join("; ", failed));
    }
  }

  /**
   * @param patch the rollout's write, built against the Deployment observed
   * @param rollbackTarget the revision a rollback would restore, null when there is none
   * @throws WriteConflict when the Deployment changed since it was observed (re-read and re-decide)
   */
  Outcome run(Observation o, DeploymentPatch patch, RevisionRecord rollbackTarget) throws WriteConflict {
    Deployment d = o.deployment().orElseThrow();
    String namespace = d.getMetadata().getNamespace();
    List<PreflightResult> results = new ArrayList<>();
    Optional<ReplicaSet> target = rollbackTarget(o, namespace, rollbackTarget, results);
    target.ifPresent(rs -> results.add(references(o.targetKind(), namespace, rs)));
    results.add(quota(namespace, d, o));
    Optional<HasMetadata> after = Optional.empty();
    try {
      after = Optional.of(probe.dryRun(d, patch));
      results.add(new PreflightResult(DRY_RUN, true, "the API server accepts the patch (dryRun=All: validation and "
          + "admission webhooks ran, nothing was stored)"));
    } catch (ClusterProbe.DryRunRefused e) {
      results.add(new PreflightResult(DRY_RUN, false, "the API server refused the patch in a dry run ("
          + e.getMessage() + "): fix what it names (the Hotfix, the " + o.targetKind() + ", or the admission policy) and "
          + "apply the Hotfix again"));
    }
    return new Outcome(results, after);
  }

  private Optional<ReplicaSet> rollbackTarget(Observation o, String namespace, RevisionRecord record,
      List<PreflightResult> results) {
    if (record == null) {
      results.add(new PreflightResult(ROLLBACK_TARGET, true, "none: the replaced revision is already failing and no "
          + "revision is known good, so a failure ends Failed without rolling back"));
      return Optional.empty();
    }
    String described = o.targetKind().revisionHolder() + " " + record.replicaSet + " (revision " + record.revision + ")";
    Optional<ReplicaSet> rs = probe.revision(o.target().orElseThrow().workload(), record.replicaSet);
    if (rs.isEmpty()) {
      results.add(new PreflightResult(ROLLBACK_TARGET, false, described + ", which a rollback restores, is gone "
          + "from the API server (pruned or deleted), so its exact pod template is lost: let the "
          + o.targetKind() + " controller recreate it (or roll the " + o.targetKind() + " to a revision that has one) "
          + "and apply the Hotfix again"));
      return Optional.empty();
    }
    if (!record.podTemplateHash.equals(DeploymentRevisions.hashOf(rs.get()))) {
      results.add(new PreflightResult(ROLLBACK_TARGET, false, described + " now holds pod template "
          + DeploymentRevisions.hashOf(rs.get()) + ", not the recorded " + record.podTemplateHash + ": apply the "
          + "Hotfix again once the " + o.targetKind() + " has settled"));
      return Optional.empty();
    }
    results.add(new PreflightResult(ROLLBACK_TARGET, true, described + " is on the API server with the recorded pod "
        + "template"));
    return rs;
  }

  private PreflightResult references(TargetKind kind, String namespace, ReplicaSet target) {
    TemplateReferences refs = TemplateReferences.of(target.getSpec().getTemplate());
    List<String> missing = new ArrayList<>();
    List<String> unchecked = new ArrayList<>();
    sort("ConfigMap", refs.configMaps(), name -> probe.configMap(namespace, name), missing, unchecked);
    sort("Secret", refs.secrets(), name -> probe.secret(namespace, name), missing, unchecked);
    String rs = target.getMetadata().getName();
    String notChecked = unchecked.isEmpty() ? "" : "; not checked (the operator may not read them): "
        + String.join(", ", unchecked);
    if (!missing.isEmpty()) {
      return new PreflightResult(ROLLBACK_REFERENCES, false, "the pod template a rollback restores (" + kind.revisionHolder() + " " + rs
          + ") needs " + String.join(", ", missing) + ", which no longer exist" + (missing.size() == 1 ? "s" : "")
          + ": its pods could not start after a rollback; recreate "
          + (missing.size() == 1 ? "it" : "them") + " (or mark the reference optional) and apply the Hotfix again"
          + notChecked);
    }
    int checked = refs.configMaps().size() + refs.secrets().size() - unchecked.size();
    return new PreflightResult(ROLLBACK_REFERENCES, true, checked == 0 && unchecked.isEmpty()
        ? "the pod template a rollback restores (" + kind.revisionHolder() + " " + rs + ") uses no ConfigMap or Secret"
        : checked + " ConfigMap(s)/Secret(s) the pod template a rollback restores (" + kind.revisionHolder() + " " + rs + ") uses exist"
            + notChecked);
  }

  private static void sort(String kind, Iterable<String> names, Function<String, ClusterProbe.Presence> presence,
      List<String> missing, List<String> unchecked) {
    for (String name : names) {
      switch (presence.apply(name)) {
        case MISSING -> missing.add(kind + " " + name);
        case NOT_ALLOWED_TO_LOOK -> unchecked.add(kind + " " + name);
        case PRESENT -> {
        }
      }
    }
  }

  /**
   * Room for the rollout's first new pods: the Deployment controller scales the new ReplicaSet up
   * by maxSurge at once, and a pod the quota refuses is a ReplicaSet failure (FailedCreate) that
   * fails the Hotfix, so a namespace pod quota must leave room for all of them.
   */
  private PreflightResult quota(String namespace, Deployment d, Observation o) {
    int replicas = d.getSpec().getReplicas() == null ? 1 : d.getSpec().getReplicas();
    // a StatefulSet has no surge: it replaces each pod in place
    int surge = replicas == 0 || o.targetKind() == TargetKind.StatefulSet ? 0 : surge(o.spec().maxSurge(), replicas);
    if (surge == 0) {
      return new PreflightResult(QUOTA, true, "no new pod before an old one goes (" + (o.targetKind()
          == TargetKind.StatefulSet ? "a StatefulSet replaces its pods in place" : "maxSurge resolves to 0") + ")");
    }
    Long used = null;
    for (ResourceQuota quota : probe.resourceQuotas(namespace)) {
      for (String key : POD_QUOTA_KEYS) {
        Quantity hard = quota.getSpec() == null || quota.getSpec().getHard() == null ? null
            : quota.getSpec().getHard().get(key);
        if (hard == null) {
          continue;
        }
        long limit = Quantity.getAmountInBytes(hard).longValue();
        used = used == null ? probe.podsCountedByQuota(namespace) : used;
        if (used + surge > limit) {
          return new PreflightResult(QUOTA, false, "ResourceQuota " + quota.getMetadata().getName() + " allows "
              + key + "=" + limit + " and namespace " + namespace + " runs " + used + ": the rollout's first " + surge
              + " new pod(s) (maxSurge) would be refused and fail the rollout; raise the quota or free "
              + (used + surge - limit) + " pod(s)");
        }
      }
    }
    return new PreflightResult(QUOTA, true, used == null ? "no pod quota in namespace " + namespace
        : "the namespace's pod quotas leave room for the rollout's first " + surge + " new pod(s) (" + used
            + " pods counted)");
  }

  /** maxSurge resolved against the replicas, a percentage rounded up as the Deployment controller does. */
  private static int surge(IntOrString maxSurge, int replicas) {
    if (maxSurge.getIntVal() != null) {
      return maxSurge.getIntVal();
    }
    String percent = maxSurge.getStrVal().trim();
    return (int) Math.ceil(replicas * Integer.parseInt(percent.substring(0, percent.length() - 1)) / 100.0);
  }
}
