package dev.hotfix.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;

/**
 * How the Deployment goes back to its owner, decided with the terminal phase and carried out
 * only after that phase is stored: a crash or a failed status write in between must leave a
 * Hotfix that still holds its Deployment and decides again, never a released Deployment beside
 * an unfinished Hotfix.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class ReleaseRecord {

  /** The pod-template-hash of the revision the Hotfix ended on and saw healthy, if any. */
  @JsonPropertyDescription("The pod-template-hash of the revision the Hotfix ended on and saw healthy (Succeeded, or "
      + "RolledBack to it); written on the Deployment as hotfix.dev/last-good with the release, if the Deployment "
      + "still runs it. Absent when the Hotfix ends on a revision it did not see healthy.")
  public String lastGoodHash;

  public ReleaseRecord() {
  }

  public ReleaseRecord(String lastGoodHash) {
    this.lastGoodHash = lastGoodHash;
  }
}
