package dev.hotfix.operator;

import dev.hotfix.api.v1alpha1.HotfixApproval;
import dev.hotfix.api.v1alpha1.HotfixPolicy;
import java.util.List;
import java.util.Optional;

/** What the governance rules are applied to: the namespace's policy and a Hotfix's approvals. */
interface GovernanceInputs {

  /** The namespace's HotfixPolicy {@code default}, empty when there is none. */
  Optional<HotfixPolicy> policy(String namespace);

  /** The HotfixApprovals naming a Hotfix. */
  List<HotfixApproval> approvalsFor(String namespace, String hotfix);
}
