package dev.hotfix.notify;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hotfix.api.v1alpha1.Phase;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The Slack body: the summary line, the blocks, escaping and Block Kit's limits. */
class SlackMessageTest {

  @Test
  void textAndBlocksCarryTheFactsWithSlackMarkupEscaped() {
    HotfixEvent e = new HotfixEvent("rolled_back", "checkout-fix", "shop", Phase.RolledBack, Phase.RollingBack,
        "Critical", "CVE <2026> & co", "INC-4711", "checkout", "StatefulSet",
        List.of(new HotfixEvent.ImageChange("app", "checkout:1.4.1", "checkout:1.4.2-errors")),
        "rolled back to revision 3", "check: error-rate = 0.4 > 0.05", "2026-11-21T07:00:00Z", "checkout-fix-report");

    Map<String, Object> body = SlackMessage.of(e);

    assertThat(body.get("text")).isEqualTo("Hotfix shop/checkout-fix rolled back (Critical, INC-4711): rolled back to "
        + "revision 3");
    String blocks = Serialization.asJson(body.get("blocks"));
    assertThat(blocks).contains("\"type\":\"header\"", "Hotfix checkout-fix: rolled back",
        "*Reason*\\nCVE &lt;2026&gt; &amp; co", "*Target*\\nStatefulSet checkout", "*Image app*\\ncheckout:1.4.1 → checkout:1.4.2-errors",
        "*Rollback reason:* check: error-rate = 0.4 &gt; 0.05",
        "RollingBack → RolledBack at 2026-11-21T07:00:00Z · incident report: `kubectl hotfix report checkout-fix -n shop`");
  }

  @Test
  void awaitingApprovalSaysHowToApprove() {
    HotfixEvent e = new HotfixEvent("awaiting_approval", "checkout-fix", "shop", Phase.AwaitingApproval,
        Phase.Pending, "Major", "r", null, "checkout", "Deployment", List.of(), "waiting for 1 approval", null,
        "2026-11-21T07:00:00Z", null);

    assertThat(Serialization.asJson(SlackMessage.of(e))).contains("Pending → AwaitingApproval at 2026-11-21T07:00:00Z"
        + " · to approve: `kubectl hotfix approve checkout-fix -n shop`");
  }

  @Test
  void aLongReasonIsCutToBlockKitsLimit() {
    HotfixEvent e = new HotfixEvent("started", "f", "ns", Phase.RollingOut, null, "Major", "x".repeat(5000), null,
        "web", "Deployment", List.of(), "m".repeat(4000), null, "2026-11-21T07:00:00Z", null);

    Map<String, Object> body = SlackMessage.of(e);

    assertThat((String) body.get("text")).hasSize(3000).endsWith("…");
    assertThat(Serialization.asJson(body)).contains("new → RollingOut").doesNotContain("x".repeat(2001));
  }
}
