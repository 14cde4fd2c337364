package dev.hotfix.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.crd.generator.annotation.AdditionalPrinterColumn;
import io.fabric8.crd.generator.annotation.PrinterColumnFormat;
import io.fabric8.kubernetes.api.model.Namespaced;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.model.annotation.Group;
import io.fabric8.kubernetes.model.annotation.Plural;
import io.fabric8.kubernetes.model.annotation.ShortNames;
import io.fabric8.kubernetes.model.annotation.Version;

/**
 * One emergency change to one Deployment: the patched images, why, how to roll them out and
 * how to judge them. The operator records what it replaces, rolls out with zero downtime,
 * verifies, and rolls back by itself when a check fails.
 */
@Group(Hotfix.GROUP)
@Version(Hotfix.VERSION)
@Plural("hotfixes")
@ShortNames("hf")
@AdditionalPrinterColumn(name = "TARGET", jsonPath = ".spec.target.name", type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(name = "SEVERITY", jsonPath = ".spec.severity", type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(name = "PHASE", jsonPath = ".status.phase", type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(name = "IMAGE", jsonPath = ".spec.containers[0].image", type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(name = "AGE", jsonPath = ".metadata.creationTimestamp", type = AdditionalPrinterColumn.Type.DATE,
    format = PrinterColumnFormat.NONE)
public class Hotfix extends CustomResource<HotfixSpec, HotfixStatus> implements Namespaced {
  public static final String GROUP = "hotfix.dev";
  public static final String VERSION = "v1alpha1";

  @Override
  @JsonPropertyDescription("What to change (images of one Deployment), why (severity, reason, ticket), and how to roll it out, judge it and roll it back.")
  public HotfixSpec getSpec() {
    return super.getSpec();
  }

  @Override
  @JsonPropertyDescription("What the operator observed and did: phase, conditions, the recorded previous and applied revisions, checks, timeline. Written by the operator only.")
  public HotfixStatus getStatus() {
    return super.getStatus();
  }
}
