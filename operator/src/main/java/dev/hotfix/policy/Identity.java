package dev.hotfix.policy;

import java.util.List;

/**
 * A person as the API server authenticated them (user name and groups).
 *
 * @param user the user name, e.g. alice@example.com
 * @param groups the user's groups
 * @param verified whether the admission webhook stamped it (true) or a client wrote it (false)
 */
public record Identity(String user, List<String> groups, boolean verified) {
  public Identity {
    groups = List.copyOf(groups);
  }
}
