package dev.hotfix.operator;

import dev.hotfix.api.v1alpha1.HotfixApproval;
import dev.hotfix.api.v1alpha1.HotfixApprovalStatus;

/** Writes what the operator concluded about a HotfixApproval into its status; never fails the Hotfix. */
interface ApprovalStatusWriter {

  void write(HotfixApproval approval, HotfixApprovalStatus status);
}
