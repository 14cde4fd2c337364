package dev.hotfix.operator;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hotfix.api.v1alpha1.HotfixStatus;
import dev.hotfix.api.v1alpha1.Phase;
import dev.hotfix.api.v1alpha1.RollbackCause;
import io.fabric8.kubernetes.api.model.Condition;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** The Verified and RolledBack conditions read the typed rollback cause, never the human reason. */
class ConditionsTest {
  private static final Instant NOW = Instant.parse("2026-11-21T10:00:00Z");

  @Test
  void aCheckRollbackReadsCheckFailedThenCheck() {
    HotfixStatus s = rolledBack(RollbackCause.Check, "check: error-rate = 0.4 > 0.05");

    assertThat(reason(s, Conditions.VERIFIED)).isEqualTo("CheckFailed");
    assertThat(reason(s, Conditions.ROLLED_BACK)).isEqualTo("Check");
  }

  @Test
  void theReasonComesFromTheCauseNotFromTheWordsOfTheReason() {
    // a human reason that looks like another cause changes nothing
    HotfixStatus s = rolledBack(RollbackCause.Deleted, "pod_fault: written by hand");

    assertThat(reason(s, Conditions.VERIFIED)).isEqualTo("Manual");
    assertThat(reason(s, Conditions.ROLLED_BACK)).isEqualTo("Manual");
  }

  @Test
  void aRollbackWithoutARecordedCauseIsUnknown() {
    HotfixStatus s = rolledBack(null, "pod_fault: pod web-1 container app: CrashLoopBackOff");

    assertThat(reason(s, Conditions.ROLLED_BACK)).isEqualTo(Conditions.UNKNOWN);
  }

  private static HotfixStatus rolledBack(RollbackCause cause, String reason) {
    HotfixStatus s = new HotfixStatus();
    s.phase = Phase.RolledBack;
    s.message = "rolled back";
    s.rollbackCause = cause;
    s.rollbackReason = reason;
    Conditions.update(s, 1, NOW);
    return s;
  }

  private static String reason(HotfixStatus s, String type) {
    return s.conditions.stream().filter(c -> type.equals(c.getType())).map(Condition::getReason).findFirst()
        .orElseThrow();
  }
}
