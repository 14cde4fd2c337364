package dev.hotfix.webhook;

/** One admission path's decision on a request (mutating or validating). */
interface AdmissionControl {

  AdmissionResponse review(AdmissionRequest request);
}
