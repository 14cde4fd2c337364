package dev.hotfix.operator;

import dev.hotfix.api.v1alpha1.Hotfix;
import dev.hotfix.api.v1alpha1.Phase;
import dev.hotfix.api.v1alpha1.Severity;
import java.time.Instant;
import java.util.Comparator;
import java.util.Optional;

/**
 * One active Hotfix per Deployment: the order in which Hotfixes on the same target take their
 * turn. First come, first served, except that a break-glass Critical goes ahead of Hotfixes that
 * only wait on the policy (AwaitingApproval, Scheduled): an emergency is never blocked by a
 * change still waiting for a signature or a window. Such a waiting Hotfix is then Superseded
 * rather than run later on top of the Critical fix: its approvals and its diff were for a
 * Deployment that no longer exists, and shipping it afterwards could undo the Critical fix.
 * The lock itself, while a Hotfix acts, is the {@code hotfix.dev/active} annotation on the
 * Deployment ({@link dev.hotfix.rollout.HotfixAnnotations#ACTIVE}).
 */
final class WaitingLine {
  private static final Comparator<Hotfix> AGE = Comparator
      .comparing((Hotfix h) -> h.getMetadata().getCreationTimestamp())
      .thenComparing(h -> h.getMetadata().getName());

  private WaitingLine() {
  }

  /**
   * The Hotfix this one must wait for: one already acting on the target (an ended one too, until
   * its finisher gave the Deployment back), or an older one still waiting (ties broken by name);
   * a break-glass Critical skips those that only wait.
   */
  static Optional<Hotfix> firstAhead(Observation o, boolean breakGlass) {
    return o.rivals().stream()
        .filter(h -> !PendingHandler.phaseOf(h).isTerminal() || o.awaitsRelease(h))
        .filter(h -> !(breakGlass && PendingHandler.phaseOf(h).isHeldByPolicy()))
        .filter(h -> isActing(h) || o.awaitsRelease(h) || AGE.compare(h, o.hotfix()) < 0)
        .min(AGE);
  }

  /**
   * A step to Superseded when a newer Critical Hotfix went ahead of this waiting one and started
   * on the same Deployment (see the class comment); empty otherwise.
   */
  static Optional<Step> supersededByCritical(Observation o) {
    return o.rivals().stream()
        .filter(h -> h.getSpec() != null && h.getSpec().severity == Severity.Critical)
        .filter(h -> AGE.compare(h, o.hotfix()) > 0)
        .filter(h -> h.getStatus() != null && h.getStatus().startedAt != null
            && Instant.parse(h.getStatus().startedAt).isAfter(created(o.hotfix())))
        .min(AGE)
        .map(h -> Step.to(Phase.Superseded, "superseded by Critical Hotfix " + h.getMetadata().getName()
            + ", which went ahead on " + o.targetKind() + " " + o.hotfix().getSpec().target.name + " while this one waited ("
            + o.phase() + "): its approvals and changes were for the " + o.targetKind() + " before that fix; if it is still "
            + "needed, create it again on top of the Critical fix"));
  }

  private static boolean isActing(Hotfix h) {
    return PendingHandler.phaseOf(h).isActing();
  }

  private static Instant created(Hotfix h) {
    String at = h.getMetadata().getCreationTimestamp();
    return at == null ? Instant.MIN : Instant.parse(at);
  }
}
