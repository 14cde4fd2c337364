package dev.hotfix.policy;

/**
 * The namespace's HotfixPolicy cannot be applied (an unknown time zone, an unreadable time):
 * the message says which field and what to write instead. Hotfixes wait until it is fixed.
 */
public final class PolicyProblem extends RuntimeException {

  public PolicyProblem(String message) {
    super(message);
  }
}
