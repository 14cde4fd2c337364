package dev.hotfix.health.prometheus;

import dev.hotfix.health.MetricSource;
import java.util.Optional;

/** Finds the Prometheus that a namespace's metric checks query. */
@FunctionalInterface
public interface MetricSources {

  /**
   * The source for {@code namespace}, or empty when no Prometheus is configured for it at all.
   * A configured but broken endpoint (a missing Secret, say) is a source whose every query
   * fails, so that it counts as provider errors rather than silence.
   */
  Optional<MetricSource> forNamespace(String namespace);
}
