package dev.hotfix.notify;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.hotfix.api.v1alpha1.ContainerImage;
import dev.hotfix.api.v1alpha1.Hotfix;
import dev.hotfix.api.v1alpha1.HotfixSpec;
import dev.hotfix.api.v1alpha1.HotfixStatus;
import dev.hotfix.api.v1alpha1.TargetKind;
import dev.hotfix.api.v1alpha1.Phase;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.stream.Collectors;

/**
 * The body of a generic {@code webhook} notification (docs/notifications.md documents every
 * field), and what the Slack message is written from. Built on the reconcile thread from the
 * Hotfix as stored, so a later change cannot alter what an earlier notification says.
 *
 * @param event the announcement, e.g. {@code rolled_back}
 * @param hotfix the Hotfix's name
 * @param namespace its namespace
 * @param phase the phase entered
 * @param previousPhase the phase left (null for a new Hotfix)
 * @param severity Trivial, Minor, Major or Critical
 * @param reason why the hot fix is needed
 * @param ticket the incident or change ticket, if any
 * @param target the target workload's name
 * @param targetKind the target's kind: Deployment, StatefulSet or DaemonSet
 * @param images per container: the image before and the image the Hotfix ships
 * @param message the status message: what just happened
 * @param rollbackReason why it rolled back, when it did
 * @param time when the phase changed (RFC 3339)
 * @param reportConfigMap the incident report's ConfigMap, once the Hotfix has ended
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record HotfixEvent(String event, String hotfix, String namespace, Phase phase, Phase previousPhase,
    String severity, String reason, String ticket, String target, String targetKind, List<ImageChange> images, String message,
    String rollbackReason, String time, String reportConfigMap) {

  /**
   * One container's images.
   *
   * @param container the container's name
   * @param before the image it ran before the Hotfix (null until recorded)
   * @param after the image the Hotfix ships
   */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record ImageChange(String container, String before, String after) {
  }

  /** The event announcing {@code hotfix}'s change from {@code from} to {@code to} at {@code at}. */
  public static HotfixEvent of(Announcement announcement, Hotfix hotfix, Phase from, Phase to, Instant at) {
    HotfixSpec spec = hotfix.getSpec();
    HotfixStatus status = hotfix.getStatus() == null ? new HotfixStatus() : hotfix.getStatus();
    return new HotfixEvent(announcement.eventName(), hotfix.getMetadata().getName(),
        hotfix.getMetadata().getNamespace(), to, from, String.valueOf(spec.severity), spec.reason, spec.ticket,
        spec.target == null ? null : spec.target.name, spec.target == null ? null : TargetKind.of(spec.target).name(),
        images(spec, status), status.message, status.rollbackReason,
        at.toString(), to.isTerminal() ? status.report : null);
  }

  private static List<ImageChange> images(HotfixSpec spec, HotfixStatus status) {
    Map<String, String> before = status.previous == null || status.previous.images == null ? Map.of()
        : status.previous.images.stream().filter(i -> i.image != null)
            .collect(Collectors.toMap(i -> i.name, i -> i.image, (a, b) -> a));
    List<ImageChange> changes = new ArrayList<>();
    for (ContainerImage c : Objects.requireNonNullElse(spec.containers, List.<ContainerImage>of())) {
      changes.add(new ImageChange(c.name, before.get(c.name), c.image));
    }
    return changes;
  }
}
