package dev.hotfix.operator;

import dev.hotfix.api.v1alpha1.HotfixPolicy;
import dev.hotfix.api.v1alpha1.HotfixPolicyStatus;
import dev.hotfix.json.KubernetesJson;
import dev.hotfix.policy.EffectivePolicy;
import dev.hotfix.policy.PolicyProblem;
import io.fabric8.kubernetes.api.model.Condition;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.ControllerConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import java.time.Clock;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Tells the owners of a HotfixPolicy whether the operator can apply it, on the policy itself
 * ({@code status.conditions[Ready]}), so an unknown time zone shows up when the policy is
 * written rather than when a Hotfix is held by it. Only policies named {@code default} are
 * read; others are marked so.
 */
@ControllerConfiguration(name = "hotfixpolicy")
public final class HotfixPolicyReconciler implements Reconciler<HotfixPolicy> {
  static final String READY = "Ready";

  private final Clock clock;

  public HotfixPolicyReconciler(Clock clock) {
    this.clock = clock;
  }

  @Override
  public UpdateControl<HotfixPolicy> reconcile(HotfixPolicy policy, Context<HotfixPolicy> context) {
    HotfixPolicyStatus desired = statusOf(policy);
    if (Objects.equals(KubernetesJson.MAPPER.valueToTree(desired),
        policy.getStatus() == null ? null : KubernetesJson.MAPPER.valueToTree(policy.getStatus()))) {
      return UpdateControl.noUpdate();
    }
    // JOSDK patches the status subresource (a JSON patch from the policy as read, without
    // optimistic locking: this status is derived from the spec alone, so a newer write loses nothing).
    HotfixPolicy copy = KubernetesJson.SERIALIZATION.clone(policy);
    copy.setStatus(desired);
    return UpdateControl.patchStatus(copy);
  }

  private HotfixPolicyStatus statusOf(HotfixPolicy policy) {
    boolean ready;
    String reason;
    String message;
    if (!HotfixPolicy.DEFAULT_NAME.equals(policy.getMetadata().getName())) {
      ready = false;
      reason = "NotDefault";
      message = "the operator reads only the HotfixPolicy named " + HotfixPolicy.DEFAULT_NAME + " in each namespace: "
          + "rename this one to " + HotfixPolicy.DEFAULT_NAME;
    } else {
      try {
        EffectivePolicy.of(policy.getMetadata().getNamespace(), Optional.of(policy));
        ready = true;
        reason = "Applied";
        message = "applied to the Hotfixes of namespace " + policy.getMetadata().getNamespace()
            + "; fields left out keep the built-in defaults";
      } catch (PolicyProblem e) {
        ready = false;
        reason = "Invalid";
        message = e.getMessage() + "; until it is fixed, Hotfixes in this namespace wait in Pending";
      }
    }
    String value = ready ? "True" : "False";
    Long generation = policy.getMetadata().getGeneration();
    Condition before = policy.getStatus() == null || policy.getStatus().conditions == null ? null
        : policy.getStatus().conditions.stream().filter(c -> READY.equals(c.getType())).findFirst().orElse(null);
    String since = before != null && value.equals(before.getStatus()) ? before.getLastTransitionTime()
        : clock.instant().toString();
    HotfixPolicyStatus s = new HotfixPolicyStatus();
    s.observedGeneration = generation;
    s.conditions = List.of(new Condition(since, message, generation, reason, value, READY));
    return s;
  }
}
