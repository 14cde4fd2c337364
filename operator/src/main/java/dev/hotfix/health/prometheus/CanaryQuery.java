package dev.hotfix.health.prometheus;

import dev.hotfix.api.v1alpha1.TargetKind;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The placeholders a check's query may use to compare a canary with the Deployment's own pods
 * over the same window, so that a Hotfix needs no absolute threshold: {@code {{canary}}} and
 * {@code {{baseline}}} become label matchers on the pods' pod-template-hash (as Prometheus's
 * Kubernetes service discovery exposes it, {@code pod_template_hash}; a StatefulSet's pods carry
 * their revision as {@code controller-revision-hash}, so {@code controller_revision_hash}), and
 * {@code {{canary.hash}}} / {@code {{baseline.hash}}} the bare hash, for series that carry it
 * under another label name. For example:
 *
 * <pre>
 * sum(rate(http_requests_total{deployment="checkout",{{canary}},code=~"5.."}[1m]))
 *   / sum(rate(http_requests_total{deployment="checkout",{{canary}}}[1m]))
 * - sum(rate(http_requests_total{deployment="checkout",{{baseline}},code=~"5.."}[1m]))
 *   / sum(rate(http_requests_total{deployment="checkout",{{baseline}}}[1m]))
 * </pre>
 */
public final class CanaryQuery {
  /** The label that carries a Deployment's pod's pod-template-hash in Prometheus. */
  public static final String HASH_LABEL = "pod_template_hash";
  /** The label that carries a StatefulSet's (or DaemonSet's) pod's controller-revision-hash in Prometheus. */
  public static final String REVISION_LABEL = "controller_revision_hash";
  private static final Pattern PLACEHOLDER = Pattern.compile("\\{\\{\\s*(canary|baseline)(\\.hash)?\\s*}}");

  private CanaryQuery() {
  }

  /** Whether the query compares a canary with its baseline (and so can be measured only during a canary). */
  public static boolean isComparative(String query) {
    return query != null && PLACEHOLDER.matcher(query).find();
  }

  /** The Prometheus label that tells the revisions of a target of {@code kind} apart. */
  public static String labelFor(TargetKind kind) {
    return kind == TargetKind.Deployment ? HASH_LABEL : REVISION_LABEL;
  }

  /** The query with every placeholder filled from the two hashes, matched on {@code label}. */
  public static String render(String query, String canaryHash, String baselineHash, String label) {
    Matcher m = PLACEHOLDER.matcher(query);
    StringBuilder out = new StringBuilder();
    while (m.find()) {
      String hash = m.group(1).equals("canary") ? canaryHash : baselineHash;
      String filled = m.group(2) != null ? hash : label + "=\"" + hash + "\"";
      m.appendReplacement(out, Matcher.quoteReplacement(filled));
    }
    m.appendTail(out);
    return out.toString();
  }
}
