package dev.hotfix.policy;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The hot fixes that started on a target before the one being decided, as far as the operator
 * knows them: its kept history and the target's other Hotfixes still present.
 *
 * @param hotfixes one entry per Hotfix (by uid)
 * @param unknown why the target's history could not be read, empty when it could
 */
public record PriorHotfixes(List<Prior> hotfixes, Optional<String> unknown) {
  /** Nothing known: no history and no other Hotfix. */
  public static final PriorHotfixes NONE = new PriorHotfixes(List.of(), Optional.empty());

  /** A hot fix that started on the target. */
  public record Prior(String name, String uid, Instant startedAt) {
  }

  /** These and {@code more}, each Hotfix once (the first entry of a uid wins). */
  public PriorHotfixes plus(List<Prior> more) {
    Map<String, Prior> byUid = new LinkedHashMap<>();
    for (Prior p : hotfixes) {
      byUid.putIfAbsent(p.uid(), p);
    }
    for (Prior p : more) {
      byUid.putIfAbsent(p.uid(), p);
    }
    return new PriorHotfixes(List.copyOf(new ArrayList<>(byUid.values())), unknown);
  }
}
