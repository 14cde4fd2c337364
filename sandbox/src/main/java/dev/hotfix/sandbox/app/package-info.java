/**
 * The sandbox's simulated application: synthetic traffic for every ready pod, shaped by the
 * pod's image tag, exposed as {@code http_requests_total} and
 * {@code http_request_duration_seconds} for Prometheus to scrape. Entry point:
 * {@link dev.hotfix.sandbox.app.SimulatedApp}.
 */
package dev.hotfix.sandbox.app;
