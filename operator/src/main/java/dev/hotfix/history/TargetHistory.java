package dev.hotfix.history;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import dev.hotfix.api.v1alpha1.Hotfix;
import dev.hotfix.api.v1alpha1.HotfixStatus;
import dev.hotfix.api.v1alpha1.Phase;
import dev.hotfix.api.v1alpha1.RecurrenceRule;
import dev.hotfix.api.v1alpha1.Severity;
import dev.hotfix.policy.PriorHotfixes;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * One target's hot fixes as the operator keeps them (the JSON in its history ConfigMap): how
 * many ended and how many rolled back, ever, and the outcomes of the last {@value #KEPT}, oldest
 * first. Each Hotfix is recorded once, by uid.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
public final class TargetHistory {
  /** Outcomes kept: enough for the largest recurrence threshold a policy may set. */
  public static final int KEPT = RecurrenceRule.MAX_THRESHOLD;
  /** The characters of a cause kept: a line in a table, not the whole story (the incident report has it). */
  static final int CAUSE_LIMIT = 300;

  /** The target's kind, e.g. Deployment. */
  public String kind;
  /** The target's name. */
  public String target;
  /** Hotfixes to the target that ended, ever. */
  public long hotfixes;
  /** Of those, the ones that rolled back (or began to). */
  public long rollbacks;
  /** The last {@value #KEPT} outcomes, oldest first. */
  public List<Outcome> outcomes = new ArrayList<>();

  /** How one Hotfix ended. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  @JsonIgnoreProperties(ignoreUnknown = true)
  public static final class Outcome {
    public String name;
    public String uid;
    public Severity severity;
    public Phase phase;
    /** When it began to change the target (RFC 3339); absent when it never did (Rejected). */
    public String startedAt;
    /** When it reached its terminal phase (RFC 3339). */
    public String finishedAt;
    /** Why it did not succeed: the rollback reason, or the final message; absent for Succeeded. */
    public String cause;
  }

  public TargetHistory() {
  }

  public TargetHistory(String kind, String target) {
    this.kind = kind;
    this.target = target;
  }

  /**
   * Whether {@code hotfix} is recorded already: its uid is kept, or it ended before the oldest
   * outcome kept while the list is full (it fell off the end: recording it again would count it twice).
   */
  public boolean recorded(Hotfix hotfix) {
    String uid = hotfix.getMetadata().getUid();
    if (outcomes.stream().anyMatch(o -> Objects.equals(o.uid, uid))) {
      return true;
    }
    if (outcomes.size() < KEPT || outcomes.isEmpty()) {
      return false;
    }
    Instant finished = instant(hotfix.getStatus() == null ? null : hotfix.getStatus().finishedAt);
    Instant oldest = instant(outcomes.get(0).finishedAt);
    return finished != null && oldest != null && finished.isBefore(oldest);
  }

  /** Adds the outcome of the ended {@code hotfix}, unless {@link #recorded}; returns whether it added. */
  public boolean record(Hotfix hotfix) {
    if (recorded(hotfix)) {
      return false;
    }
    HotfixStatus s = hotfix.getStatus();
    Outcome o = new Outcome();
    o.name = hotfix.getMetadata().getName();
    o.uid = hotfix.getMetadata().getUid();
    o.severity = hotfix.getSpec().severity;
    o.phase = s.phase;
    o.startedAt = s.startedAt;
    o.finishedAt = s.finishedAt;
    o.cause = cause(s);
    outcomes.add(o);
    hotfixes++;
    if (s.rollbackStartedAt != null) {
      rollbacks++;
    }
    while (outcomes.size() > KEPT) {
      outcomes.remove(0);
    }
    return true;
  }

  /** The kept hot fixes that started on the target, for the recurrence rule. */
  public List<PriorHotfixes.Prior> started() {
    return outcomes.stream().filter(o -> instant(o.startedAt) != null)
        .map(o -> new PriorHotfixes.Prior(o.name, o.uid, instant(o.startedAt))).toList();
  }

  private static String cause(HotfixStatus s) {
    String cause = s.rollbackReason != null ? s.rollbackReason : s.phase == Phase.Succeeded ? null : s.message;
    if (cause == null || cause.length() <= CAUSE_LIMIT) {
      return cause;
    }
    int keep = CAUSE_LIMIT - 3;
    // never split a surrogate pair
    if (Character.isHighSurrogate(cause.charAt(keep - 1))) {
      keep--;
    }
    return cause.substring(0, keep) + "...";
  }

  /** An RFC 3339 time, or null when absent or unreadable. */
  static Instant instant(String time) {
    if (time == null) {
      return null;
    }
    try {
      return Instant.parse(time);
    } catch (DateTimeParseException e) {
      return null;
    }
  }
}
