package dev.hotfix.operator;

import dev.hotfix.api.v1alpha1.Phase;
import dev.hotfix.health.job.JobChecks;
import dev.hotfix.policy.Identity;
import java.time.Duration;
import java.util.Optional;

/**
 * Acting only for people who may: before the first Deployment write of an attempt, the operator
 * asks the API server whether the requester could make that write themselves (a
 * SubjectAccessReview as the requester's verified user and groups for {@code patch} on the target
 * Deployment, and {@code create} on jobs when a check runs a smoke-test Job). The operator's own rights are wider; without this check anyone who may create a
 * Hotfix could have the operator change any Deployment of the namespace.
 *
 * <p>A Hotfix without a verified requester is refused, unless the operator runs without the
 * admission webhook (so no requester can ever be verified) and was told to trust whoever may
 * create a Hotfix in a watched namespace ({@code run --trust-unverified-requesters}).
 */
final class RequesterAuthorization {
  /** How long to wait before asking again when the API server could not answer the review. */
  static final Duration RETRY = Duration.ofSeconds(30);

  /** Asks the API server whether a user may do something (a SubjectAccessReview). */
  interface AccessReviewer {
    /**
     * Whether {@code who} may {@code verb} the {@code resource} of {@code group} named {@code name} in {@code namespace}.
     *
     * @throws RuntimeException when the API server gives no answer
     */
    boolean allowed(Identity who, String verb, String group, String resource, String namespace, String name);
  }

  private final AccessReviewer reviewer;
  private final boolean trustUnverified;

  /**
   * @param trustUnverified whether a Hotfix without a verified requester may proceed without a
   *     review (only ever true when the operator runs without the webhook)
   */
  RequesterAuthorization(AccessReviewer reviewer, boolean trustUnverified) {
    this.reviewer = reviewer;
    this.trustUnverified = trustUnverified;
  }

  /** The step that stops the attempt, or empty when the requester may patch the target. */
  Optional<Step> refusal(Observation o, Optional<Identity> requester) {
    String namespace = o.hotfix().getMetadata().getNamespace();
    String target = o.hotfix().getSpec().target.name;
    String resource = o.targetKind().plural();
    if (requester.isEmpty() || !requester.get().verified()) {
      if (trustUnverified) {
        return Optional.empty();
      }
      String who = requester.map(r -> "the unverified requester " + r.user()).orElse("no requester");
      return Optional.of(Step.to(Phase.Rejected, "this Hotfix has " + who + ": the operator acts only for people "
          + "the API server authenticated; create it with the operator's admission webhook registered, or run the "
          + "operator without the webhook and with --trust-unverified-requesters to let anyone who may create a "
          + "Hotfix in namespace " + namespace + " change its workloads"));
    }
    Identity person = requester.get();
    boolean allowed;
    try {
      allowed = reviewer.allowed(person, "patch", "apps", resource, namespace, target);
    } catch (RuntimeException e) {
      return Optional.of(Step.stay(Phase.Pending, "could not ask the API server whether " + person.user()
          + " may patch " + resource + "/" + target + " (" + e.getMessage() + "); asking again in " + RETRY.toSeconds()
          + " s", Optional.of(o.now().plus(RETRY))));
    }
    if (!allowed) {
      return Optional.of(Step.to(Phase.Rejected, person.user() + " may not patch " + resource + "/" + target
          + " in namespace " + namespace + "; grant it or have someone who may create the Hotfix"));
    }
    if (!JobChecks.any(o.spec().checks())) {
      return Optional.empty();
    }
    // a job check runs the requester's smoke test as a Job the operator creates: only for those who could create it
    try {
      allowed = reviewer.allowed(person, "create", "batch", "jobs", namespace, "");
    } catch (RuntimeException e) {
      return Optional.of(Step.stay(Phase.Pending, "could not ask the API server whether " + person.user()
          + " may create jobs (" + e.getMessage() + "); asking again in " + RETRY.toSeconds() + " s",
          Optional.of(o.now().plus(RETRY))));
    }
    return allowed ? Optional.empty() : Optional.of(Step.to(Phase.Rejected, person.user() + " may not create jobs "
        + "in namespace " + namespace + ", which the job checks of spec.verification.checks would run as Jobs: grant "
        + "it (batch/jobs create), leave the job checks out, or have someone who may create the Hotfix"));
  }
}
