package dev.hotfix.notify;

import dev.hotfix.api.v1alpha1.Phase;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A Slack incoming-webhook body for a {@link HotfixEvent}: {@code text} (the one-line summary
 * that notifications and Slack-compatible receivers such as Mattermost show) and Block Kit
 * {@code blocks} (header, message, facts, context). Text is escaped as Slack's mrkdwn requires
 * and cut to Block Kit's limits, so a long reason cannot make Slack refuse the message.
 */
public final class SlackMessage {
  private static final int HEADER_LIMIT = 150;
  private static final int TEXT_LIMIT = 3000;
  private static final int FIELD_LIMIT = 2000;

  private SlackMessage() {
  }

  /** The JSON-ready body. */
  public static Map<String, Object> of(HotfixEvent e) {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("text", cut(escape(summary(e)), TEXT_LIMIT));
    List<Object> blocks = new ArrayList<>();
    blocks.add(Map.of("type", "header", "text", Map.of("type", "plain_text",
        "text", cut("Hotfix " + e.hotfix() + ": " + e.event().replace('_', ' '), HEADER_LIMIT))));
    if (e.message() != null && !e.message().isBlank()) {
      blocks.add(section(escape(e.message())));
    }
    List<Object> fields = new ArrayList<>();
    fields.add(field("Namespace", e.namespace()));
    fields.add(field("Target", (e.targetKind() == null ? "Deployment" : e.targetKind()) + " " + e.target()));
    fields.add(field("Severity", e.severity()));
    fields.add(field("Ticket", e.ticket() == null ? "none" : e.ticket()));
    fields.add(field("Reason", e.reason()));
    for (HotfixEvent.ImageChange i : e.images()) {
      fields.add(field("Image " + i.container(), (i.before() == null ? "" : i.before() + " → ") + i.after()));
      if (fields.size() == 10) {
        break; // Block Kit's limit per section
      }
    }
    blocks.add(Map.of("type", "section", "fields", fields));
    if (e.rollbackReason() != null) {
      blocks.add(section("*Rollback reason:* " + escape(e.rollbackReason())));
    }
    String context = (e.previousPhase() == null ? "new" : e.previousPhase()) + " → " + e.phase() + " at " + e.time()
        + (e.reportConfigMap() == null ? "" : " · incident report: `kubectl hotfix report " + e.hotfix() + " -n "
            + e.namespace() + "`")
        + (e.phase() == Phase.AwaitingApproval ? " · to approve: `kubectl hotfix approve " + e.hotfix() + " -n "
            + e.namespace() + "`" : "");
    blocks.add(Map.of("type", "context", "elements", List.of(Map.of("type", "mrkdwn", "text",
        cut(escape(context), TEXT_LIMIT)))));
    body.put("blocks", blocks);
    return body;
  }

  /** {@code Hotfix shop/checkout-fix rolled back (Critical, INC-4711): <message>}. */
  static String summary(HotfixEvent e) {
    return "Hotfix " + e.namespace() + "/" + e.hotfix() + " " + e.event().replace('_', ' ') + " (" + e.severity()
        + (e.ticket() == null ? "" : ", " + e.ticket()) + ")" + (e.message() == null ? "" : ": " + e.message());
  }

  private static Map<String, Object> section(String mrkdwn) {
    return Map.of("type", "section", "text", Map.of("type", "mrkdwn", "text", cut(mrkdwn, TEXT_LIMIT)));
  }

  private static Map<String, Object> field(String label, String value) {
    return Map.of("type", "mrkdwn", "text", cut("*" + label + "*\n" + escape(String.valueOf(value)), FIELD_LIMIT));
  }

  /** Slack reads {@code <...>} as links and mentions; these three must be escaped in any text. */
  static String escape(String text) {
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
  }

  private static String cut(String text, int limit) {
    return text.length() <= limit ? text : text.substring(0, limit - 1) + "…";
  }
}
