package dev.hotfix.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.crd.generator.annotation.AdditionalPrinterColumn;
import io.fabric8.kubernetes.api.model.Namespaced;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.model.annotation.Group;
import io.fabric8.kubernetes.model.annotation.Plural;
import io.fabric8.kubernetes.model.annotation.ShortNames;
import io.fabric8.kubernetes.model.annotation.Version;

/**
 * A namespace's rules for hot fixes: which severities may ship, who must approve, when, where
 * to read metrics and whom to tell. One per namespace, named {@code default}; built-in defaults
 * apply when it is absent.
 */
@Group(Hotfix.GROUP)
@Version(Hotfix.VERSION)
@Plural("hotfixpolicies")
@ShortNames("hfp")
@AdditionalPrinterColumn(name = "AGE", jsonPath = ".metadata.creationTimestamp", type = AdditionalPrinterColumn.Type.DATE)
public class HotfixPolicy extends CustomResource<HotfixPolicySpec, HotfixPolicyStatus> implements Namespaced {
  /** The only name the operator reads in each namespace. */
  public static final String DEFAULT_NAME = "default";

  @Override
  @JsonPropertyDescription("The namespace's rules for hot fixes; anything left out keeps the built-in default.")
  public HotfixPolicySpec getSpec() {
    return super.getSpec();
  }

  @Override
  @JsonPropertyDescription("Whether the operator could use the policy.")
  public HotfixPolicyStatus getStatus() {
    return super.getStatus();
  }
}
