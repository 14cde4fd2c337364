package dev.hotfix.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import java.util.List;

/** One revision of the target Deployment, enough to identify and restore it. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class RevisionRecord {

  /** The Deployment revision (deployment.kubernetes.io/revision). */
  @JsonPropertyDescription("The Deployment revision number (annotation deployment.kubernetes.io/revision).")
  public Long revision;

  /** The pod-template-hash of the revision's ReplicaSet. */
  @JsonPropertyDescription("The pod-template-hash label of the revision's ReplicaSet.")
  public String podTemplateHash;

  /** The ReplicaSet that holds this revision's pod template. */
  @JsonPropertyDescription("The ReplicaSet holding this revision's pod template.")
  public String replicaSet;

  /** The image of each container. */
  @JsonPropertyDescription("The image of each container in this revision.")
  public List<ImageRecord> images;

  /** The Deployment's rollout strategy before the Hotfix changed it. */
  @JsonPropertyDescription("The owner's rollout strategy before the Hotfix applied its own (restored when the Hotfix "
      + "ends).")
  public StrategyRecord strategy;

  /** Why this revision was already failing when it was recorded; absent when it was healthy. */
  @JsonPropertyDescription("Why this revision was already failing when the operator recorded it (crash-looping pods, "
      + "ProgressDeadlineExceeded, pods never ready); absent when it was healthy. A failing revision is never a "
      + "rollback target.")
  public String failing;
}
