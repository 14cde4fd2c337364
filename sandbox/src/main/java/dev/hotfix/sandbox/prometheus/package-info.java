/**
 * The sandbox's real Prometheus: {@link dev.hotfix.sandbox.prometheus.PrometheusServer} runs the
 * {@code prometheus} binary against the simulated app, and
 * {@link dev.hotfix.sandbox.prometheus.PrometheusClient} asks it instant queries.
 */
package dev.hotfix.sandbox.prometheus;
