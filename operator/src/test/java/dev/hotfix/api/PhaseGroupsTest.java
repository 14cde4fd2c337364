package dev.hotfix.api;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hotfix.api.v1alpha1.Phase;
import java.util.Arrays;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;

/**
 * The phase groups, stated once on {@link Phase} and read by the reconciler (who the policy
 * still decides), the finalizer and the waiting line (who holds the target), exposure (who
 * judges) and the Events (which are warnings). Each group is pinned here, so moving a phase
 * between groups is a visible decision (seen failing with Previewed marked a warning).
 */
class PhaseGroupsTest {

  @Test
  void eachGroupHasExactlyItsPhases() {
    assertThat(phases(Phase::isDeciding)).containsExactly(Phase.Pending, Phase.AwaitingApproval, Phase.Scheduled);
    assertThat(phases(Phase::isHeldByPolicy)).containsExactly(Phase.AwaitingApproval, Phase.Scheduled);
    assertThat(phases(Phase::isActing)).containsExactly(Phase.RollingOut, Phase.Verifying, Phase.RollingBack);
    assertThat(phases(Phase::isJudging)).containsExactly(Phase.RollingOut, Phase.Verifying);
    assertThat(phases(Phase::isTerminal)).containsExactly(Phase.Succeeded, Phase.RolledBack, Phase.Rejected,
        Phase.Failed, Phase.Superseded, Phase.Previewed);
    assertThat(phases(Phase::isWarning)).containsExactly(Phase.RollingBack, Phase.RolledBack, Phase.Rejected,
        Phase.Failed, Phase.Superseded);
  }

  @Test
  void everyPhaseIsInExactlyOneStage() {
    for (Phase p : Phase.values()) {
      int stages = (p.isDeciding() ? 1 : 0) + (p.isActing() ? 1 : 0) + (p.isTerminal() ? 1 : 0);
      assertThat(stages).as("%s is deciding, acting or ended", p).isOne();
    }
  }

  private static Phase[] phases(Predicate<Phase> group) {
    return Arrays.stream(Phase.values()).filter(group).toArray(Phase[]::new);
  }
}
