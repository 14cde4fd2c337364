package dev.hotfix.api.v1alpha1;

/** An approver's decision on a Hotfix. */
public enum Decision {
  Approve, Reject
}
