package dev.hotfix.operator;

import dev.hotfix.api.v1alpha1.Phase;

/**
 * The API server refused one of the operator's own writes as invalid (HTTP 422). Sending the
 * same write again gets the same answer, so it is never retried: the Hotfix ends with the
 * server's message, Rejected when the refused write was the first one (nothing was changed),
 * Failed otherwise.
 */
final class WriteRefused extends RuntimeException {
  private final String serverMessage;

  WriteRefused(String serverMessage, Throwable cause) {
    super(serverMessage, cause);
    this.serverMessage = serverMessage;
  }

  /** The step that ends the Hotfix whose write was refused. */
  Step end(Observation o) {
    String target = o.hotfix().getSpec().target.name;
    String refused = "the API server refused the operator's write to " + o.targetKind() + " " + target
        + " as invalid (HTTP "
        + "422): " + serverMessage;
    if (o.phase() == Phase.RollingOut && !o.holdsTarget()) {
      return Step.to(Phase.Rejected, refused + "; nothing was changed: fix the " + o.targetKind() + " or the Hotfix and apply "
          + "it again");
    }
    return Step.to(Phase.Failed, refused + "; the " + o.targetKind() + " is left as it is for a human to fix");
  }
}
