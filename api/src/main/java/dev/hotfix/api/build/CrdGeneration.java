package dev.hotfix.api.build;

import dev.hotfix.api.v1alpha1.Hotfix;
import dev.hotfix.api.v1alpha1.HotfixApproval;
import dev.hotfix.api.v1alpha1.HotfixPolicy;
import io.fabric8.crd.generator.annotation.AdditionalPrinterColumn;
import io.fabric8.crdv2.generator.CRDGenerator;
import io.fabric8.crdv2.generator.CRDPostProcessor;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceColumnDefinition;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import java.io.File;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Build-time tool (run by the build at process-classes, not shipped in the jar): generates the
 * CRDs of {@code dev.hotfix.api.v1alpha1} with fabric8's crd-generator into
 * {@code target/classes/META-INF/fabric8/}.
 *
 * <p>Why not the crd-generator Maven plugin alone: it sorts printer columns by JSONPath, so
 * {@code kubectl get hf} would print AGE first. This post-processor restores the order the
 * classes declare ({@code TARGET SEVERITY PHASE IMAGE AGE}), which is part of the contract.
 */
public final class CrdGeneration {
  private static final List<Class<? extends HasMetadata>> RESOURCES =
      List.of(Hotfix.class, HotfixPolicy.class, HotfixApproval.class);

  private CrdGeneration() {
  }

  public static void main(String[] args) {
    File out = new File(args.length > 0 ? args[0] : "target/classes/META-INF/fabric8");
    if (!out.isDirectory() && !out.mkdirs()) {
      throw new IllegalStateException("cannot create " + out);
    }
    int written = new CRDGenerator()
        .inOutputDir(out)
        .forCRDVersions("v1")
        .withParallelGenerationEnabled(false)
        .withPostProcessor(new DeclaredColumnOrder())
        .customResourceClasses(RESOURCES)
        .generate();
    if (written != RESOURCES.size()) {
      throw new IllegalStateException("generated " + written + " CRDs, expected " + RESOURCES.size());
    }
  }

  /** Orders each version's printer columns as the resource class declares them. */
  private static final class DeclaredColumnOrder implements CRDPostProcessor {
    private final Map<String, List<String>> declaredByKind = RESOURCES.stream().collect(Collectors.toMap(
        HasMetadata::getKind,
        c -> Arrays.stream(c.getAnnotationsByType(AdditionalPrinterColumn.class))
            .map(AdditionalPrinterColumn::name).toList()));

    @Override
    public HasMetadata process(HasMetadata crd, String crdSpecVersion) {
      CustomResourceDefinition v1 = (CustomResourceDefinition) crd;
      List<String> declared = declaredByKind.get(v1.getSpec().getNames().getKind());
      Function<CustomResourceColumnDefinition, Integer> position = col -> declared.indexOf(col.getName());
      v1.getSpec().getVersions().forEach(v -> {
        if (v.getAdditionalPrinterColumns() != null) {
          v.getAdditionalPrinterColumns().sort(Comparator.comparing(position));
        }
      });
      return crd;
    }
  }
}
