/**
 * The hotfix.dev/v1alpha1 API: {@link dev.hotfix.api.v1alpha1.Hotfix},
 * {@link dev.hotfix.api.v1alpha1.HotfixPolicy} and {@link dev.hotfix.api.v1alpha1.HotfixApproval}.
 *
 * <p>This package is the only place the schema lives: the CRDs under {@code crds/} are generated
 * from it at build time (fabric8 crd-generator). Each field's {@code @JsonPropertyDescription}
 * becomes its {@code kubectl explain} text; validation the schema can express (enums, patterns,
 * bounds, required) is declared here with annotations, and cross-field rules as CEL
 * ({@code @ValidationRule}). No logic lives here.
 */
package dev.hotfix.api.v1alpha1;
