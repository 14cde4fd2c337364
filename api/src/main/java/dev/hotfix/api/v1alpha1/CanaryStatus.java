package dev.hotfix.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;

/** The progress of a Hotfix's canary (spec.rollout.canary). Written by the operator only. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class CanaryStatus {

  /** The canary's ReplicaSet, owned by the Hotfix (a Deployment's canary). */
  @JsonPropertyDescription("The ReplicaSet that runs the canary pods, owned by this Hotfix (removed with it); a "
      + "Deployment's canary only.")
  public String replicaSet;

  /** The partition that holds a StatefulSet's rollout at the canary's pods (a StatefulSet's canary). */
  @JsonPropertyDescription("A StatefulSet's canary only: the rollingUpdate.partition the patch wrote, so that only "
      + "the pods of this ordinal and above run the new revision until the verdict (replicas minus canary pods).")
  public Integer partition;

  /** The canary pods' pod-template-hash (a StatefulSet's: controller-revision-hash): what {{canary}} selects. */
  @JsonPropertyDescription("The pod-template-hash label of the canary pods (a StatefulSet's pods: their "
      + "controller-revision-hash): {{canary}} in a check's query becomes pod_template_hash=\"<this>\" "
      + "(controller_revision_hash=\"<this>\").")
  public String podTemplateHash;

  /** The target's current pods' pod-template-hash (controller-revision-hash): what {{baseline}} selects. */
  @JsonPropertyDescription("The pod-template-hash label of the target's current pods (a StatefulSet's pods: their "
      + "controller-revision-hash): {{baseline}} in a check's query becomes pod_template_hash=\"<this>\" "
      + "(controller_revision_hash=\"<this>\").")
  public String baselineHash;

  /** Canary pods wanted. */
  @JsonPropertyDescription("How many canary pods run (spec.rollout.canary.pods resolved against the replicas).")
  public Integer pods;

  /** Canary pods ready when last observed. */
  @JsonPropertyDescription("How many canary pods were ready when last observed.")
  public Integer readyPods;

  /** When the canary was created. */
  @JsonPropertyDescription("When the canary ReplicaSet was created, or the StatefulSet patched with the canary's "
      + "partition (RFC 3339).")
  public String startedAt;

  /** When all canary pods were first ready: the analysis began. */
  @JsonPropertyDescription("When every canary pod was first ready and the analysis began (RFC 3339).")
  public String analysisStartedAt;

  /** When the analysis ends if nothing fails. */
  @JsonPropertyDescription("When the analysis ends and the verdict is due if nothing fails first (RFC 3339).")
  public String analysisEndsAt;

  /** The verdict, once there is one. */
  @JsonPropertyDescription("Passed (the rollout went on) or Failed (a Deployment's canary was removed, the "
      + "Deployment never changed; a StatefulSet's canary pods were rolled back, the pods below the partition never "
      + "replaced); absent while the canary is judged.")
  public CanaryVerdict verdict;
}
