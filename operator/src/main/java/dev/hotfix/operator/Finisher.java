package dev.hotfix.operator;

import dev.hotfix.api.v1alpha1.HotfixStatus;
import dev.hotfix.api.v1alpha1.ReleaseRecord;
import dev.hotfix.api.v1alpha1.StrategyRecord;
import dev.hotfix.report.IncidentReport;
import dev.hotfix.rollout.DeploymentRevisions;
import dev.hotfix.rollout.TargetChanges;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import java.util.Objects;
import java.util.Optional;

/**
 * The handler of every terminal phase (Succeeded, RolledBack, Failed, Rejected, Superseded,
 * Previewed), run on each pass of a finished Hotfix. It decides nothing: it carries out what the
 * stored terminal status asks, and only what is still missing, so running it again changes nothing.
 * <ol>
 *   <li>The release ({@code status.release}): the Deployment loses the Hotfix's lock annotations
 *   and gets its owner's rollout strategy back, if it still names this attempt.</li>
 *   <li>The incident report: written when none was written yet, or when the one written
 *   ({@code status.reportDigest}) differs from what the status now says.</li>
 * </ol>
 * Both follow the terminal status, never precede it: a crash or a failed status write before it
 * leaves the Hotfix in its deciding phase, holding the Deployment, to decide again; a crash after
 * it leaves work this handler finds on the next pass. The spec is immutable but for
 * {@code abort}, which has nothing left to stop: a new attempt is a new Hotfix, with approvals of its own.
 */
final class Finisher implements PhaseHandler {
  /** The Warning Event when the API server refuses the release as invalid. */
  static final String RELEASE_REFUSED = "ReleaseRefused";
  /** The Warning Event when neither of the report's names is free. */
  static final String REPORT_NOT_WRITTEN = "ReportNotWritten";

  private final DeploymentWriter writer;
  private final ReportStore reports;
  private final HotfixEvents events;

  Finisher(DeploymentWriter writer, ReportStore reports, HotfixEvents events) {
    this.writer = writer;
    this.reports = reports;
    this.events = events;
  }

  @Override
  public Step handle(Observation o) throws WriteConflict {
    Step step = Step.stay(o.phase(), o.status().message, Optional.empty());
    HotfixStatus s = o.status();
    if (s.release != null && o.holdsTarget()) {
      try {
        release(o, s.release);
      } catch (WriteRefused refused) {
        // the same patch gets the same answer: say so once and stop asking
        events.warning(o.hotfix(), RELEASE_REFUSED, "the API server refused to give Deployment "
            + o.hotfix().getSpec().target.name + " back to its owner (HTTP 422): " + refused.getMessage()
            + "; remove the hotfix.dev/ annotations and restore its rollout strategy by hand");
        step = step.with(st -> st.release = null);
      }
    }
    String markdown = IncidentReport.render(o.hotfix());
    String digest = IncidentReport.digest(markdown);
    if (!digest.equals(s.reportDigest)) {
      String name;
      try {
        name = reports.write(o.hotfix(), markdown);
      } catch (IllegalStateException nameTaken) {
        // both of its names belong to someone else: asking again changes nothing
        events.warning(o.hotfix(), REPORT_NOT_WRITTEN, nameTaken.getMessage());
        name = null;
      }
      String written = name;
      step = step.with(st -> {
        st.report = written;
        st.reportDigest = digest;
      });
    }
    return step;
  }

  /**
   * Gives the Deployment back to its owner: their rollout strategy, no Hotfix lock; and the
   * revision the Hotfix saw healthy as the last known good, if the Deployment still runs it.
   */
  private void release(Observation o, ReleaseRecord release) throws WriteConflict {
    Deployment d = o.deployment().orElseThrow();
    boolean runsIt = release.lastGoodHash != null && o.target().flatMap(DeploymentRevisions::current)
        .map(DeploymentRevisions::hashOf).filter(h -> Objects.equals(h, release.lastGoodHash)).isPresent();
    // the owner's strategy as recorded on the Deployment itself: status could be forged
    Optional<StrategyRecord> owners = o.recordedPrevious().map(r -> r.strategy);
    writer.patch(d, TargetChanges.release(d, runsIt ? Optional.of(release.lastGoodHash) : Optional.empty(), owners));
  }
}
