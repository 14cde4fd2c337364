package dev.hotfix.rollout;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.hotfix.api.v1alpha1.StrategyRecord;
import dev.hotfix.api.v1alpha1.TargetKind;
import dev.hotfix.json.KubernetesJson;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import java.util.List;
import java.util.Map;

/**
 * An RFC 6902 JSON Patch for one Deployment, built against the exact object it was read from:
 * its first operation pins {@code metadata.resourceVersion}, so the API server answers 409 when
 * someone wrote in between (optimistic concurrency without server-side apply). A StatefulSet or
 * DaemonSet is patched through its {@link WorkloadView}: the pod template and annotations are at
 * the same paths; only the strategy is the kind's own {@code updateStrategy}.
 */
public final class DeploymentPatch {
  private static final JsonNodeFactory JSON = JsonNodeFactory.instance;

  private final Deployment base;
  private final ArrayNode ops = JSON.arrayNode();
  private boolean annotationsExist;

  private DeploymentPatch(Deployment base) {
    this.base = base;
    // fabric8 models default to an empty map, which serializes as absent: only a non-empty map exists.
    this.annotationsExist = base.getMetadata().getAnnotations() != null && !base.getMetadata().getAnnotations().isEmpty();
    op("replace", "/metadata/resourceVersion", JSON.textNode(base.getMetadata().getResourceVersion()));
  }

  /** A patch of {@code base}, valid only while it is the stored version. */
  public static DeploymentPatch of(Deployment base) {
    return new DeploymentPatch(base);
  }

  /** Sets the image of each named container or init container (names must exist in the template). */
  public DeploymentPatch images(Map<String, String> imageByContainer) {
    images("containers", base.getSpec().getTemplate().getSpec().getContainers(), imageByContainer);
    images("initContainers", base.getSpec().getTemplate().getSpec().getInitContainers(), imageByContainer);
    return this;
  }

  private void images(String list, List<Container> containers, Map<String, String> imageByContainer) {
    for (int i = 0; containers != null && i < containers.size(); i++) {
      String image = imageByContainer.get(containers.get(i).getName());
      if (image != null) {
        op("replace", "/spec/template/spec/" + list + "/" + i + "/image", JSON.textNode(image));
      }
    }
  }

  /** Replaces the whole pod template (what {@code kubectl rollout undo} does). */
  public DeploymentPatch template(PodTemplateSpec template) {
    op("replace", "/spec/template", KubernetesJson.MAPPER.valueToTree(template));
    return this;
  }

  /**
   * Sets the strategy (a Deployment's {@code strategy} and progress deadline; a StatefulSet's or
   * DaemonSet's {@code updateStrategy}, with the fields its kind has).
   */
  public DeploymentPatch strategy(StrategyRecord strategy) {
    TargetKind kind = WorkloadView.kindOf(base);
    String type = strategy.type == null ? "RollingUpdate" : strategy.type;
    ObjectNode node = JSON.objectNode().put("type", type);
    if ("RollingUpdate".equals(type)) {
      ObjectNode rolling = node.putObject("rollingUpdate");
      if (kind != TargetKind.StatefulSet) {
        putIntOrString(rolling, "maxSurge", strategy.maxSurge);
      }
      putIntOrString(rolling, "maxUnavailable", strategy.maxUnavailable);
      if (kind == TargetKind.StatefulSet && strategy.partition != null) {
        rolling.put("partition", strategy.partition);
      }
      if (rolling.isEmpty()) {
        node.remove("rollingUpdate");
      }
    }
    op("add", kind == TargetKind.Deployment ? "/spec/strategy" : "/spec/updateStrategy", node);
    if (kind == TargetKind.Deployment && strategy.progressDeadlineSeconds != null) {
      op("add", "/spec/progressDeadlineSeconds", JSON.numberNode(strategy.progressDeadlineSeconds));
    }
    return this;
  }

  /** The kind of workload the patch is for. */
  public TargetKind kind() {
    return WorkloadView.kindOf(base);
  }

  /** Sets an annotation. */
  public DeploymentPatch annotate(String key, String value) {
    if (!annotationsExist) {
      op("add", "/metadata/annotations", JSON.objectNode());
      annotationsExist = true;
    }
    op("add", "/metadata/annotations/" + escape(key), JSON.textNode(value));
    return this;
  }

  /** Removes an annotation if present. */
  public DeploymentPatch removeAnnotation(String key) {
    Map<String, String> annotations = base.getMetadata().getAnnotations();
    if (annotations != null && annotations.containsKey(key)) {
      op("remove", "/metadata/annotations/" + escape(key), null);
    }
    return this;
  }

  /** The patch document. */
  public String toJson() {
    return ops.toString();
  }

  private void op(String op, String path, JsonNode value) {
    ObjectNode node = ops.addObject().put("op", op).put("path", path);
    if (value != null) {
      node.set("value", value);
    }
  }

  private static void putIntOrString(ObjectNode node, String field, IntOrString value) {
    if (value == null) {
      return;
    }
    if (value.getIntVal() != null) {
      node.put(field, value.getIntVal());
    } else {
      node.put(field, value.getStrVal());
    }
  }

  /** RFC 6901: '~' and '/' in a key. */
  private static String escape(String key) {
    return key.replace("~", "~0").replace("/", "~1");
  }
}
