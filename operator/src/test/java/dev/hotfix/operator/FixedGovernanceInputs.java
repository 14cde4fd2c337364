package dev.hotfix.operator;

import dev.hotfix.api.v1alpha1.HotfixApproval;
import dev.hotfix.api.v1alpha1.HotfixPolicy;
import java.util.List;
import java.util.Optional;

/** One namespace's policy and approvals, as a handler test sets them up. */
record FixedGovernanceInputs(Optional<HotfixPolicy> policy, List<HotfixApproval> approvals)
    implements GovernanceInputs {

  /** No policy (the built-in defaults) and no approvals. */
  static final FixedGovernanceInputs NONE = new FixedGovernanceInputs(Optional.empty(), List.of());

  @Override
  public Optional<HotfixPolicy> policy(String namespace) {
    return policy;
  }

  @Override
  public List<HotfixApproval> approvalsFor(String namespace, String hotfix) {
    return approvals.stream().filter(a -> hotfix.equals(a.getSpec().hotfix)).toList();
  }
}
