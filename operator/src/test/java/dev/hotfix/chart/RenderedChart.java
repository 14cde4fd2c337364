package dev.hotfix.chart;

import dev.hotfix.json.KubernetesJson;
import static org.assertj.core.api.Assertions.assertThat;

import com.marcnuri.helm.Helm;
import com.marcnuri.helm.TemplateCommand;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.rbac.ClusterRole;
import io.fabric8.kubernetes.api.model.rbac.PolicyRule;
import io.fabric8.kubernetes.api.model.rbac.Role;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The chart rendered by {@code helm template} (helm-java, in-process and offline) as release
 * {@value #RELEASE} in namespace {@value #NAMESPACE}, parsed into Kubernetes objects the way a
 * client would load them: typed where fabric8 knows the kind, generic otherwise (ServiceMonitor,
 * Certificate, ...).
 */
public final class RenderedChart {
  static final Path CHART = Path.of("helm/hotfix-operator");
  static final Path VALUES = Path.of("operator/src/test/resources/chart");
  public static final String RELEASE = "hotfix-operator";
  public static final String NAMESPACE = "hotfix-system";

  private final List<HasMetadata> objects;

  private RenderedChart(List<HasMetadata> objects) {
    this.objects = objects;
  }

  /** Renders with the chart's values, then each file under operator/src/test/resources/chart, then each {@code key=value}. */
  public static RenderedChart render(List<String> valuesFiles, Map<String, Object> sets) {
    TemplateCommand template = new Helm(CHART).template().withName(RELEASE).withNamespace(NAMESPACE);
    for (String file : valuesFiles) {
      template = template.withValuesFile(VALUES.resolve(file));
    }
    for (Map.Entry<String, Object> set : sets.entrySet()) {
      template = template.set(set.getKey(), set.getValue());
    }
    return new RenderedChart(parse(template.call()));
  }

  public static RenderedChart render(String... valuesFiles) {
    return render(List.of(valuesFiles), Map.of());
  }

  private static List<HasMetadata> parse(String manifest) {
    List<HasMetadata> objects = new ArrayList<>();
    for (String document : manifest.split("(?m)^---\\s*$")) {
      if (document.lines().allMatch(line -> line.isBlank() || line.startsWith("#"))) {
        continue;
      }
      HasMetadata object = KubernetesJson.SERIALIZATION.unmarshal(document, HasMetadata.class);
      assertThat(object).as("a Kubernetes object in:\n%s", document).isNotNull();
      assertThat(object.getApiVersion()).as("apiVersion of\n%s", document).isNotBlank();
      assertThat(object.getKind()).as("kind of\n%s", document).isNotBlank();
      assertThat(object.getMetadata().getName()).as("name of\n%s", document).isNotBlank();
      objects.add(object);
    }
    return objects;
  }

  public <T extends HasMetadata> List<T> all(Class<T> type) {
    return objects.stream().filter(type::isInstance).map(type::cast).toList();
  }

  /** Objects of a kind fabric8 has no model for (they parse as generic resources). */
  List<GenericKubernetesResource> generic(String kind) {
    return all(GenericKubernetesResource.class).stream().filter(r -> kind.equals(r.getKind())).toList();
  }

  Deployment deployment() {
    List<Deployment> deployments = all(Deployment.class);
    assertThat(deployments).hasSize(1);
    return deployments.get(0);
  }

  List<String> operatorArgs() {
    return deployment().getSpec().getTemplate().getSpec().getContainers().get(0).getArgs();
  }

  /** Every RBAC rule of every Role and ClusterRole, with where it comes from. */
  public List<Grant> grants() {
    List<Grant> grants = new ArrayList<>();
    all(ClusterRole.class).forEach(r -> r.getRules().forEach(rule -> grants.add(new Grant(r, rule))));
    all(Role.class).forEach(r -> r.getRules().forEach(rule -> grants.add(new Grant(r, rule))));
    return grants;
  }

  /** One rule of a Role or ClusterRole. */
  public record Grant(HasMetadata role, PolicyRule rule) {
    boolean covers(String apiGroup, String resource) {
      return rule.getApiGroups().contains(apiGroup) && rule.getResources().contains(resource);
    }

    @Override
    public String toString() {
      return role.getKind() + " " + Optional.ofNullable(role.getMetadata().getNamespace()).map(n -> n + "/").orElse("")
          + role.getMetadata().getName() + ": " + rule.getApiGroups() + " " + rule.getResources()
          + " " + rule.getVerbs() + Optional.ofNullable(rule.getResourceNames()).filter(n -> !n.isEmpty())
              .map(n -> " names " + n).orElse("");
    }
  }
}
