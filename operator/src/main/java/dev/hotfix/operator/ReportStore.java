package dev.hotfix.operator;

import dev.hotfix.api.v1alpha1.Hotfix;

/** Where the finisher writes a finished Hotfix's incident report ({@code ReportWriter} in production). */
@FunctionalInterface
interface ReportStore {

  /**
   * Writes {@code markdown} as the report of {@code hotfix}; throws when it could not, so the
   * finisher tries again on the next pass, or {@link IllegalStateException} when trying again
   * cannot help (both of the report's names belong to someone else).
   *
   * @return the name of the ConfigMap that holds it
   */
  String write(Hotfix hotfix, String markdown);
}
