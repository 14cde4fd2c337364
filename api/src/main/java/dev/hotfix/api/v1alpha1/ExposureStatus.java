package dev.hotfix.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;

/**
 * How many pods run a Hotfix's new images, and for how long, before its verdict; and the bound
 * the operator holds them to. Written by the operator only.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class ExposureStatus {

  /** Which bound applies now: the canary's, or the Deployment's rollout's. */
  @JsonPropertyDescription("Which bound applies: Canary (before the canary's verdict, the bound is "
      + "spec.rollout.canary.pods) or Rollout (the Deployment's own rollout, without a canary or after it passed: "
      + "its replicas plus maxSurge).")
  public ExposureStage stage;

  /** The most pods allowed to run the new images before the verdict. */
  @JsonPropertyDescription("The most pods allowed to run the new images before the verdict: the canary's pods "
      + "(stage Canary), or the Deployment's highest spec.replicas seen since the rollout began plus the Hotfix's "
      + "maxSurge (stage Rollout). More than this is a fault: the Hotfix rolls back with cause exposure.")
  public Integer bound;

  /** Pods running the new images when last observed. */
  @JsonPropertyDescription("Pods running the new images (the canary's and the Deployment's new ReplicaSet's, not "
      + "being deleted) when last observed; updated as the count changes, also during a rollback. 0 once RolledBack.")
  public Integer podsOnNewRevision;

  /** The most pods that ran the new images at once before the verdict. */
  @JsonPropertyDescription("The most pods that ran the new images at once before the verdict (1 for a failed canary "
      + "of one pod).")
  public Integer maxPodsOnNewRevision;

  /** When the first pod of the new images was created. */
  @JsonPropertyDescription("When the first pod running the new images was created (RFC 3339): users have been "
      + "exposed since then.")
  public String firstPodCreatedAt;

  /** The longest any pod ran the new images before the verdict. */
  @JsonPropertyDescription("The longest any one pod ran the new images before the verdict, in seconds (from its "
      + "creation to its deletion or to the verdict, whichever came first). Refreshed when the pod count changes "
      + "and at the verdict, not every second; while there is no verdict, firstPodCreatedAt gives the live figure.")
  public Long longestExposureSeconds;

  /** When the verdict was reached and the figures were frozen. */
  @JsonPropertyDescription("When the verdict was reached (a failed canary, a rollback decided, Succeeded, or the "
      + "Hotfix stopped acting otherwise) (RFC 3339); maxPodsOnNewRevision and longestExposureSeconds stop there.")
  public String verdictAt;
}
