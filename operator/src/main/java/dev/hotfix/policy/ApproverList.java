package dev.hotfix.policy;

import dev.hotfix.api.v1alpha1.Approvers;
import dev.hotfix.api.v1alpha1.HotfixPolicy;
import java.util.List;
import java.util.Optional;

/**
 * A list of people by user name and group: whose decisions count (the policy's
 * {@code spec.approvers}; anyone but the requester when both lists are empty, RBAC on
 * HotfixApproval deciding who may create one at all) and who may declare break-glass Critical
 * ({@code spec.breakGlass}; anyone who may create a Hotfix when empty).
 *
 * @param users user names as the API server authenticates them
 * @param groups group names as the API server authenticates them
 */
public record ApproverList(List<String> users, List<String> groups) {
  public ApproverList {
    users = users == null ? List.of() : List.copyOf(users);
    groups = groups == null ? List.of() : List.copyOf(groups);
  }

  /** No list: anyone. */
  public static final ApproverList ANYONE = new ApproverList(null, null);

  /** The list of a namespace's HotfixPolicy {@code default}; empty (anyone) without one. */
  public static ApproverList of(Optional<HotfixPolicy> policy) {
    Approvers a = policy.map(HotfixPolicy::getSpec).map(s -> s.approvers).orElse(null);
    return a == null ? new ApproverList(null, null) : new ApproverList(a.users, a.groups);
  }

  /** Whether there is no list, so anyone may approve. */
  public boolean anyone() {
    return users.isEmpty() && groups.isEmpty();
  }

  /** Whether {@code who} is listed by user name or by one of their groups, or there is no list. */
  public boolean admits(Identity who) {
    return anyone() || users.contains(who.user()) || who.groups().stream().anyMatch(groups::contains);
  }

  /** As people read it: {@code users [alice], groups [sre-leads]}. */
  @Override
  public String toString() {
    return "users " + users + ", groups " + groups;
  }
}
