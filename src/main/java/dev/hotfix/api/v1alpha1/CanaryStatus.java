package dev.hotfix.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;

/** The progress of a Hotfix's canary (spec.rollout.canary). Written by the operator only. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class CanaryStatus {

  /** The canary's ReplicaSet, owned by the Hotfix. */
  @JsonPropertyDescription("The ReplicaSet that runs the canary pods, owned by this Hotfix (removed with it).")
  public String replicaSet;

  /** The canary pods' pod-template-hash: what {{canary}} selects. */
  @JsonPropertyDescription("The pod-template-hash label of the canary pods: {{canary}} in a check's query becomes "
      + "pod_template_hash=\"<this>\".")
  public String podTemplateHash;

  /** The Deployment's own pods' pod-template-hash: what {{baseline}} selects. */
  @JsonPropertyDescription("The pod-template-hash label of the Deployment's current pods: {{baseline}} in a check's "
      + "query becomes pod_template_hash=\"<this>\".")
  public String baselineHash;

  /** Canary pods wanted. */
  @JsonPropertyDescription("How many canary pods run (spec.rollout.canary.pods resolved against the replicas).")
  public Integer pods;

  /** Canary pods ready when last observed. */
  @JsonPropertyDescription("How many canary pods were ready when last observed.")
  public Integer readyPods;

  /** When the canary was created. */
  @JsonPropertyDescription("When the canary ReplicaSet was created (RFC 3339).")
  public String startedAt;

  /** When all canary pods were first ready: the analysis began. */
  @JsonPropertyDescription("When every canary pod was first ready and the analysis began (RFC 3339).")
  public String analysisStartedAt;

  /** When the analysis ends if nothing fails. */
  @JsonPropertyDescription("When the analysis ends and the verdict is due if nothing fails first (RFC 3339).")
  public String analysisEndsAt;

  /** The verdict, once there is one. */
  @JsonPropertyDescription("Passed (the rollout went on) or Failed (the canary was removed; the Deployment was never "
      + "changed); absent while the canary is judged.")
  public CanaryVerdict verdict;
}
