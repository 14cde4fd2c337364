package dev.hotfix.sandbox.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.hotfix.cli.hotfix.HumanDuration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.BiFunction;

/**
 * Server-side printing: {@code kubectl get} asks for a {@code meta.k8s.io/v1 Table}
 * ({@code Accept: application/json;as=Table;v=v1;g=meta.k8s.io}) and prints its columns and cells
 * as they come. Workloads, Events and a few other built-in kinds get upstream's columns, custom resources their CRD's
 * {@code additionalPrinterColumns}, everything else NAME and AGE.
 */
final class TableConverter {
  private record Column(PrinterColumn definition, BiFunction<JsonNode, Instant, Object> cell) {
  }

  private TableConverter() {
  }

  /** Whether the client asked for a Table. */
  static boolean wanted(String accept) {
    return accept != null && accept.contains("as=Table");
  }

  /**
   * @param includeObject the {@code includeObject} query parameter: {@code Object}, {@code None},
   *     or (default) {@code Metadata}
   */
  static ObjectNode table(ResourceType type, List<ObjectNode> objects, String resourceVersion, String includeObject) {
    List<Column> columns = columns(type);
    Instant now = Instant.now();
    ObjectNode table = CrudStore.JSON.createObjectNode().put("kind", "Table").put("apiVersion", "meta.k8s.io/v1");
    table.putObject("metadata").put("resourceVersion", resourceVersion);
    ArrayNode definitions = table.putArray("columnDefinitions");
    for (Column column : columns) {
      PrinterColumn definition = column.definition();
      definitions.addObject().put("name", definition.name())
          .put("type", definition.type().equals("date") ? "string" : definition.type())
          .put("format", definition.name().equals("Name") ? "name" : "")
          .put("description", definition.description()).put("priority", definition.priority());
    }
    ArrayNode rows = table.putArray("rows");
    for (ObjectNode object : objects) {
      ObjectNode row = rows.addObject();
      ArrayNode cells = row.putArray("cells");
      columns.forEach(column -> cells.addPOJO(column.cell().apply(object, now)));
      if ("Object".equals(includeObject)) {
        row.set("object", object);
      } else if (!"None".equals(includeObject)) {
        ObjectNode partial = row.putObject("object").put("kind", "PartialObjectMetadata")
            .put("apiVersion", "meta.k8s.io/v1");
        partial.set("metadata", object.path("metadata"));
      }
    }
    return table;
  }

  private static List<Column> columns(ResourceType type) {
    List<Column> columns = new ArrayList<>();
    columns.add(column("Name", "string", 0, (o, now) -> o.path("metadata").path("name").asText()));
    switch (type.kind()) {
      case "Deployment" -> {
        columns.add(column("Ready", "string", 0, (o, now) -> o.path("status").path("readyReplicas").asInt()
            + "/" + o.path("spec").path("replicas").asInt(1)));
        columns.add(column("Up-to-date", "integer", 0, (o, now) -> o.path("status").path("updatedReplicas").asInt()));
        columns.add(column("Available", "integer", 0,
            (o, now) -> o.path("status").path("availableReplicas").asInt()));
        columns.add(age());
        workloadWideColumns(columns);
      }
      case "ReplicaSet" -> {
        columns.add(column("Desired", "integer", 0, (o, now) -> o.path("spec").path("replicas").asInt(1)));
        columns.add(column("Current", "integer", 0, (o, now) -> o.path("status").path("replicas").asInt()));
        columns.add(column("Ready", "integer", 0, (o, now) -> o.path("status").path("readyReplicas").asInt()));
        columns.add(age());
        workloadWideColumns(columns);
      }
      case "StatefulSet" -> {
        columns.add(column("Ready", "string", 0, (o, now) -> o.path("status").path("readyReplicas").asInt()
            + "/" + o.path("spec").path("replicas").asInt(1)));
        columns.add(age());
        workloadWideColumns(columns);
      }
      case "DaemonSet" -> {
        columns.add(column("Desired", "integer", 0, (o, now) -> o.path("status").path("desiredNumberScheduled").asInt()));
        columns.add(column("Current", "integer", 0, (o, now) -> o.path("status").path("currentNumberScheduled").asInt()));
        columns.add(column("Ready", "integer", 0, (o, now) -> o.path("status").path("numberReady").asInt()));
        columns.add(column("Up-to-date", "integer", 0,
            (o, now) -> o.path("status").path("updatedNumberScheduled").asInt()));
        columns.add(column("Available", "integer", 0, (o, now) -> o.path("status").path("numberAvailable").asInt()));
        columns.add(column("Node Selector", "string", 0, (o, now) -> nodeSelector(o)));
        columns.add(age());
        workloadWideColumns(columns);
      }
      case "ControllerRevision" -> {
        columns.add(column("Controller", "string", 0, (o, now) -> controller(o)));
        columns.add(column("Revision", "integer", 0, (o, now) -> o.path("revision").asLong()));
        columns.add(age());
      }
      case "Pod" -> {
        columns.add(column("Ready", "string", 0, (o, now) -> PodStatusColumn.ready(o)));
        columns.add(column("Status", "string", 0, (o, now) -> PodStatusColumn.status(o)));
        columns.add(column("Restarts", "string", 0, PodStatusColumn::restarts));
        columns.add(age());
        columns.add(column("IP", "string", 1, (o, now) -> o.path("status").path("podIP").asText("<none>")));
        columns.add(column("Node", "string", 1, (o, now) -> o.path("spec").path("nodeName").asText("<none>")));
      }
      case "Event" -> {
        // the core kind and events.k8s.io name the same things differently
        columns.set(0, column("Last Seen", "date", 0, (o, now) -> HumanDuration.since(lastSeen(o), now)));
        columns.add(column("Type", "string", 0, (o, now) -> o.path("type").asText()));
        columns.add(column("Reason", "string", 0, (o, now) -> o.path("reason").asText()));
        columns.add(column("Object", "string", 0, (o, now) -> {
          JsonNode about = o.has("involvedObject") ? o.path("involvedObject") : o.path("regarding");
          return about.path("kind").asText().toLowerCase(Locale.ROOT) + "/" + about.path("name").asText();
        }));
        columns.add(column("Message", "string", 0,
            (o, now) -> o.path(o.has("message") ? "message" : "note").asText().trim()));
        columns.add(column("Name", "string", 1, (o, now) -> o.path("metadata").path("name").asText()));
      }
      case "ConfigMap" -> {
        columns.add(column("Data", "integer", 0, (o, now) -> o.path("data").size() + o.path("binaryData").size()));
        columns.add(age());
      }
      case "Secret" -> {
        columns.add(column("Type", "string", 0, (o, now) -> o.path("type").asText("Opaque")));
        columns.add(column("Data", "integer", 0, (o, now) -> o.path("data").size()));
        columns.add(age());
      }
      case "Lease" -> {
        columns.add(column("Holder", "string", 0, (o, now) -> o.path("spec").path("holderIdentity").asText("")));
        columns.add(age());
      }
      case "CustomResourceDefinition" -> columns.add(column("Created At", "date", 0,
          (o, now) -> o.path("metadata").path("creationTimestamp").asText()));
      case "Namespace" -> {
        columns.add(column("Status", "string", 0, (o, now) -> o.path("status").path("phase").asText("Active")));
        columns.add(age());
      }
      default -> {
        type.printerColumns().forEach(printer -> columns.add(new Column(printer, (o, now) -> cell(printer, o, now))));
        if (type.printerColumns().isEmpty()) {
          columns.add(age());
        }
      }
    }
    return columns;
  }

  private static String lastSeen(JsonNode event) {
    for (String field : List.of("lastTimestamp", "deprecatedLastTimestamp", "eventTime")) {
      if (!event.path(field).asText("").isEmpty()) {
        return event.path(field).asText();
      }
    }
    return event.path("metadata").path("creationTimestamp").asText(null);
  }

  private static void workloadWideColumns(List<Column> columns) {
    columns.add(column("Containers", "string", 1, (o, now) -> containerField(o, "name")));
    columns.add(column("Images", "string", 1, (o, now) -> containerField(o, "image")));
    columns.add(column("Selector", "string", 1, (o, now) -> selector(o)));
  }

  /** A CRD printer column's cell: dates as ages, scalars as themselves, structures as JSON. */
  private static Object cell(PrinterColumn column, JsonNode object, Instant now) {
    JsonNode value = SimpleJsonPath.evaluate(object, column.jsonPath());
    if (value.isMissingNode() || value.isNull()) {
      return null;
    }
    if (column.type().equals("date")) {
      return HumanDuration.since(value.asText(), now);
    }
    if (value.isContainerNode()) {
      return value.toString();
    }
    return switch (column.type()) {
      case "integer" -> value.asLong();
      case "number" -> value.asDouble();
      case "boolean" -> value.asBoolean();
      default -> value.asText();
    };
  }

  private static Column age() {
    return new Column(new PrinterColumn("Age", "date", "time since the object was created", 0,
        ".metadata.creationTimestamp"),
        (o, now) -> HumanDuration.since(o.path("metadata").path("creationTimestamp").asText(null), now));
  }

  private static Column column(String name, String type, int priority, BiFunction<JsonNode, Instant, Object> cell) {
    return new Column(new PrinterColumn(name, type, name, priority, null), cell);
  }

  private static String containerField(JsonNode workload, String field) {
    List<String> values = new ArrayList<>();
    workload.path("spec").path("template").path("spec").path("containers")
        .forEach(c -> values.add(c.path(field).asText()));
    return String.join(",", values);
  }

  /** {@code key=value,...} of the template's nodeSelector, {@code <none>} without one. */
  private static String nodeSelector(JsonNode workload) {
    List<String> pairs = new ArrayList<>();
    workload.path("spec").path("template").path("spec").path("nodeSelector").fields()
        .forEachRemaining(e -> pairs.add(e.getKey() + "=" + e.getValue().asText()));
    return pairs.isEmpty() ? "<none>" : String.join(",", pairs);
  }

  /** {@code statefulset.apps/web}: the revision's controller, as upstream prints it. */
  private static String controller(JsonNode object) {
    for (JsonNode ref : object.path("metadata").path("ownerReferences")) {
      if (ref.path("controller").asBoolean()) {
        String group = ref.path("apiVersion").asText().contains("/")
            ? "." + ref.path("apiVersion").asText().substring(0, ref.path("apiVersion").asText().indexOf('/')) : "";
        return ref.path("kind").asText().toLowerCase(Locale.ROOT) + group + "/" + ref.path("name").asText();
      }
    }
    return "<none>";
  }

  private static String selector(JsonNode workload) {
    String selector = LabelSelectors.format(workload.path("spec").path("selector"));
    return selector.isEmpty() ? "<none>" : selector;
  }
}
