package dev.hotfix.operator;

import dev.hotfix.rollout.HotfixAnnotations;

/**
 * The operator's writes that landed on one Deployment (HTTP 2xx at the API server, whether or not
 * the operator saw the answer), by kind: an exactly-once count sees a second identical patch.
 *
 * @param apply patches that set the Hotfix's images (the rollout)
 * @param rollback patches that restored a whole pod template
 * @param release patches that gave the Deployment back (annotations removed, the owner's strategy restored)
 * @param promote patches that only lowered a StatefulSet's partition after its canary passed
 */
public record OperatorWrites(int apply, int rollback, int release, int promote) {
  /** Kinds of operator write, told apart by what the JSON Patch changes. */
  enum Kind { APPLY, ROLLBACK, RELEASE, PROMOTE }

  static final OperatorWrites NONE = new OperatorWrites(0, 0, 0);

  /** Writes without a StatefulSet canary's promotion. */
  public OperatorWrites(int apply, int rollback, int release) {
    this(apply, rollback, release, 0);
  }

  /** Which kind the JSON Patch {@code body} is. */
  static Kind kindOf(String body) {
    if (body.contains("\"path\":\"/spec/template\"")) {
      return Kind.ROLLBACK;
    }
    if (body.contains("\"path\":\"/spec/template/spec/containers/")
        || body.contains("\"path\":\"/metadata/annotations/" + HotfixAnnotations.ACTIVE.replace("/", "~1") + "\",\"value\"")) {
      return Kind.APPLY;
    }
    if (!body.contains("/metadata/annotations")) {
      return Kind.PROMOTE; // a StatefulSet canary passed: only its partition lowered
    }
    return Kind.RELEASE;
  }

  OperatorWrites plus(Kind kind) {
    return switch (kind) {
      case APPLY -> new OperatorWrites(apply + 1, rollback, release, promote);
      case ROLLBACK -> new OperatorWrites(apply, rollback + 1, release, promote);
      case RELEASE -> new OperatorWrites(apply, rollback, release + 1, promote);
      case PROMOTE -> new OperatorWrites(apply, rollback, release, promote + 1);
    };
  }

  @Override
  public String toString() {
    return apply + " apply, " + rollback + " rollback, " + release + " release"
        + (promote == 0 ? "" : ", " + promote + " canary promotion");
  }
}
