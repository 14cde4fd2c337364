package dev.hotfix.sandbox.api;

/**
 * One column of a {@code kubectl get} table, shaped like a CRD's {@code additionalPrinterColumns}
 * entry (and the Table's {@code columnDefinitions}).
 *
 * @param name column header ({@code kubectl} prints it upper-cased)
 * @param type {@code string}, {@code integer}, {@code number}, {@code boolean} or {@code date}
 * @param description what the column shows
 * @param priority 0 for the default view, higher for {@code -o wide} only
 * @param jsonPath the simple JSONPath evaluated against each object, e.g. {@code .status.phase}
 */
public record PrinterColumn(String name, String type, String description, int priority, String jsonPath) {
}
