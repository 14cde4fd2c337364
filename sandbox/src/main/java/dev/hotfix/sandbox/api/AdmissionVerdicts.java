package dev.hotfix.sandbox.api;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The admission decisions of one request, so that webhooks are called outside the
 * {@link MutationPipeline}'s lock (a slow webhook must not hold up every other write, the
 * simulated cluster's included). The pipeline admits inside the lock: writes no webhook wants are
 * admitted at once; otherwise {@link Pending} unwinds the attempt, the webhooks are asked with the
 * lock released, and the attempt runs again. When it computes the same write (nothing changed in
 * between) it takes the decision; when the stored object changed, the webhooks are asked again,
 * as upstream's optimistic update loop does.
 */
final class AdmissionVerdicts {
  private final AdmissionWebhooks webhooks;
  /** The decided writes and the objects to store (null for deletes). */
  private final Map<AdmissionAttributes, JsonNode> decided = new HashMap<>();

  AdmissionVerdicts(AdmissionWebhooks webhooks) {
    this.webhooks = webhooks;
  }

  /** Webhooks must be asked about these writes before the attempt can go on. */
  static final class Pending extends RuntimeException {
    private final transient List<AdmissionAttributes> writes;

    Pending(List<AdmissionAttributes> writes) {
      super("admission webhooks to call", null, false, false);
      this.writes = writes;
    }
  }

  /** In the lock: the object to store (null for a delete). */
  JsonNode admit(AdmissionAttributes write) {
    return admitAll(List.of(write)).get(0);
  }

  /**
   * In the lock: the objects to store, in order. Throws {@link Pending} (before admitting any)
   * when some write must first go to webhooks, so an attempt is refused or done as a whole.
   */
  List<JsonNode> admitAll(List<AdmissionAttributes> writes) {
    List<AdmissionAttributes> pending = new ArrayList<>();
    List<List<RegisteredWebhook>> hooks = new ArrayList<>();
    for (AdmissionAttributes write : writes) {
      List<RegisteredWebhook> matching = webhooks.matching(write);
      hooks.add(matching);
      if (!matching.isEmpty() && !decided.containsKey(write)) {
        pending.add(write.copy());
      }
    }
    if (!pending.isEmpty()) {
      throw new Pending(pending);
    }
    List<JsonNode> admitted = new ArrayList<>();
    for (int i = 0; i < writes.size(); i++) {
      AdmissionAttributes write = writes.get(i);
      admitted.add(hooks.get(i).isEmpty() ? webhooks.admit(write, List.of()) : decided.get(write));
    }
    return admitted;
  }

  /** Out of the lock: asks the webhooks about every pending write; a refusal ends the request. */
  void decide(Pending pending) {
    for (AdmissionAttributes write : pending.writes) {
      // admission may change the object it is given: the key must stay as computed
      decided.put(write, webhooks.admit(write.copy(), webhooks.matching(write)));
    }
  }
}
