package dev.hotfix.api.v1alpha1;

/** How bad the production problem is that a hot fix addresses; the policy decides per severity. */
public enum Severity {
  Trivial, Minor, Major, Critical
}
