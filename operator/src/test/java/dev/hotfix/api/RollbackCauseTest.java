package dev.hotfix.api;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hotfix.api.v1alpha1.RollbackCause;
import java.util.Arrays;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * The rollback causes' contract names: the metric tag (docs/metrics.md), the RolledBack and
 * Verified condition reasons (docs/phases.md) and the prefix of status.rollbackReason, which
 * alerts, dashboards and people's scripts read. Changing one is a breaking change.
 */
class RollbackCauseTest {

  @Test
  void eachCauseKeepsItsTagAndConditionReasons() {
    Map<RollbackCause, String> contract = Arrays.stream(RollbackCause.values()).collect(Collectors.toMap(c -> c,
        c -> c.metricTag() + " " + c.reason() + " " + c.notVerifiedReason()));

    assertThat(contract).isEqualTo(Map.of(
        RollbackCause.Check, "check Check CheckFailed",
        RollbackCause.PodFault, "pod_fault PodFault PodFault",
        RollbackCause.Deadline, "deadline Deadline Deadline",
        RollbackCause.Exposure, "exposure Exposure Exposure",
        RollbackCause.Abort, "manual Manual Manual",
        RollbackCause.Deleted, "manual Manual Manual",
        RollbackCause.CanaryDeleted, "manual Manual Manual"));
  }

  @Test
  void theHumanReasonStartsWithTheTag() {
    assertThat(RollbackCause.PodFault.describe("pod web-1 container app: CrashLoopBackOff"))
        .isEqualTo("pod_fault: pod web-1 container app: CrashLoopBackOff");
    assertThat(RollbackCause.Abort.describe("abort requested (spec.abort: true)"))
        .isEqualTo("manual: abort requested (spec.abort: true)");
  }
}
