package dev.hotfix.operator;

import dev.hotfix.api.v1alpha1.HotfixApproval;
import dev.hotfix.api.v1alpha1.HotfixPolicy;
import dev.hotfix.api.v1alpha1.TargetRef;
import dev.hotfix.policy.PriorHotfixes;
import java.util.List;
import java.util.Optional;

/** What the governance rules are applied to: the namespace's policy, a Hotfix's approvals, its target's history. */
interface GovernanceInputs {

  /** The namespace's HotfixPolicy {@code default}, empty when there is none. */
  Optional<HotfixPolicy> policy(String namespace);

  /** The HotfixApprovals naming a Hotfix. */
  List<HotfixApproval> approvalsFor(String namespace, String hotfix);

  /**
   * The hot fixes that started on {@code target}, as its kept history says (none known by
   * default); the target's other Hotfixes still present are added by the caller.
   */
  default PriorHotfixes history(String namespace, TargetRef target) {
    return PriorHotfixes.NONE;
  }
}
