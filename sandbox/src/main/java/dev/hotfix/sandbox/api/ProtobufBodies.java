package dev.hotfix.sandbox.api;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Base64;
import java.util.Map;

/**
 * kubectl's generators and {@code auth can-i} send their object as Kubernetes protobuf
 * ({@code application/vnd.kubernetes.protobuf}: the magic {@code k8s\0}, then a
 * {@code runtime.Unknown} holding the type and the object's own message). The sandbox speaks
 * JSON, so the few simple kinds those commands send ({@code create namespace}, {@code create
 * configmap}, {@code create secret generic}, {@code auth can-i}, {@code auth whoami}) are read
 * here, field by field from upstream's {@code generated.proto} numbers; any other kind is refused with a 415 that says
 * to use a manifest.
 */
final class ProtobufBodies {
  private static final byte[] MAGIC = {'k', '8', 's', 0};
  private static final String REFUSAL = "the hotfix sandbox reads JSON bodies, and protobuf only for Namespace, "
      + "ConfigMap, Secret and access reviews: write a manifest and use 'kubectl apply -f' or 'kubectl create -f'";

  /** How one field of a message becomes JSON. */
  private sealed interface Field {
    String name();
  }

  private record Text(String name) implements Field {
  }

  private record Base64Bytes(String name) implements Field {
  }

  private record Flag(String name) implements Field {
  }

  private record Texts(String name) implements Field {
  }

  /** A {@code map<string, string>}, or {@code map<string, bytes>} with base64 values. */
  private record TextMap(String name, boolean bytes) implements Field {
  }

  private record Message(String name, Map<Integer, Field> fields) implements Field {
  }

  private static final Map<Integer, Field> OBJECT_META = Map.of(1, new Text("name"), 2, new Text("generateName"),
      3, new Text("namespace"), 11, new TextMap("labels", false), 12, new TextMap("annotations", false),
      14, new Texts("finalizers"));
  private static final Message METADATA = new Message("metadata", OBJECT_META);
  private static final Map<String, Map<Integer, Field>> KINDS = Map.of(
      "v1/Namespace", Map.of(1, METADATA, 2, new Message("spec", Map.of(1, new Texts("finalizers")))),
      "v1/ConfigMap", Map.of(1, METADATA, 2, new TextMap("data", false), 3, new TextMap("binaryData", true),
          4, new Flag("immutable")),
      "v1/Secret", Map.of(1, METADATA, 2, new TextMap("data", true), 3, new Text("type"),
          4, new TextMap("stringData", false), 5, new Flag("immutable")),
      "authorization.k8s.io/v1/SelfSubjectAccessReview", Map.of(1, METADATA, 2, new Message("spec", Map.of(
          1, new Message("resourceAttributes", Map.of(1, new Text("namespace"), 2, new Text("verb"),
              3, new Text("group"), 4, new Text("version"), 5, new Text("resource"), 6, new Text("subresource"),
              7, new Text("name"))),
          2, new Message("nonResourceAttributes", Map.of(1, new Text("path"), 2, new Text("verb")))))),
      "authorization.k8s.io/v1/SelfSubjectRulesReview", Map.of(1, METADATA,
          2, new Message("spec", Map.of(1, new Text("namespace")))),
      "authentication.k8s.io/v1/SelfSubjectReview", Map.of(1, METADATA));

  private ProtobufBodies() {
  }

  /** Whether a request body is Kubernetes protobuf. */
  static boolean isProtobuf(String contentType) {
    return contentType != null && contentType.contains("application/vnd.kubernetes.protobuf");
  }

  /**
   * The JSON object a protobuf body carries.
   *
   * @throws ApiError 415 for a kind the sandbox does not read, 400 for a malformed body
   */
  static ObjectNode toJson(byte[] body) {
    if (body.length < MAGIC.length || !Arrays.equals(Arrays.copyOf(body, MAGIC.length), MAGIC)) {
      throw ApiError.badRequest("a protobuf body must start with the Kubernetes magic number");
    }
    try {
      Wire envelope = new Wire(Arrays.copyOfRange(body, MAGIC.length, body.length));
      String apiVersion = "";
      String kind = "";
      byte[] raw = new byte[0];
      while (envelope.hasMore()) {
        int tag = envelope.varintAsInt();
        if (tag >>> 3 == 1 && (tag & 7) == 2) {
          Wire typeMeta = new Wire(envelope.bytes());
          while (typeMeta.hasMore()) {
            int typeTag = typeMeta.varintAsInt();
            String value = new String(typeMeta.bytes(), StandardCharsets.UTF_8);
            apiVersion = typeTag >>> 3 == 1 ? value : apiVersion;
            kind = typeTag >>> 3 == 2 ? value : kind;
          }
        } else if (tag >>> 3 == 2 && (tag & 7) == 2) {
          raw = envelope.bytes();
        } else {
          envelope.skip(tag & 7);
        }
      }
      Map<Integer, Field> fields = KINDS.get(apiVersion + "/" + kind);
      if (fields == null) {
        throw ApiError.unsupportedMediaType(REFUSAL + " (this request sent a " + kind + ")");
      }
      ObjectNode object = CrudStore.JSON.createObjectNode().put("apiVersion", apiVersion).put("kind", kind);
      read(new Wire(raw), fields, object);
      return object;
    } catch (IndexOutOfBoundsException e) {
      throw ApiError.badRequest("the protobuf body is truncated");
    }
  }

  /** Reads a message into {@code target}; unknown fields (server-set metadata, status) are skipped. */
  private static void read(Wire wire, Map<Integer, Field> fields, ObjectNode target) {
    while (wire.hasMore()) {
      int tag = wire.varintAsInt();
      Field field = fields.get(tag >>> 3);
      if (field == null) {
        wire.skip(tag & 7);
        continue;
      }
      if (field instanceof Flag flag) {
        if (wire.varint() != 0) {
          target.put(flag.name(), true);
        }
      } else if (field instanceof Text text) {
        putIfNotEmpty(target, text.name(), new String(wire.bytes(), StandardCharsets.UTF_8));
      } else if (field instanceof Base64Bytes bytes) {
        target.put(bytes.name(), Base64.getEncoder().encodeToString(wire.bytes()));
      } else if (field instanceof Texts texts) {
        ArrayNode values = target.has(texts.name()) ? (ArrayNode) target.get(texts.name())
            : target.putArray(texts.name());
        values.add(new String(wire.bytes(), StandardCharsets.UTF_8));
      } else if (field instanceof TextMap map) {
        ObjectNode entry = CrudStore.JSON.createObjectNode();
        read(new Wire(wire.bytes()), Map.of(1, new Text("key"),
            2, map.bytes() ? new Base64Bytes("value") : new Text("value")), entry);
        target.withObjectProperty(map.name()).put(entry.path("key").asText(), entry.path("value").asText(""));
      } else if (field instanceof Message message) {
        read(new Wire(wire.bytes()), message.fields(), target.withObjectProperty(message.name()));
      }
    }
  }

  private static void putIfNotEmpty(ObjectNode target, String name, String value) {
    // protobuf sends every string, JSON (omitempty) only the set ones
    if (!value.isEmpty()) {
      target.put(name, value);
    }
  }

  /** The protobuf wire format: varints, length-delimited bytes, and skipping what is not read. */
  private static final class Wire {
    private final byte[] data;
    private int at;

    Wire(byte[] data) {
      this.data = data;
    }

    boolean hasMore() {
      return at < data.length;
    }

    long varint() {
      long value = 0;
      for (int shift = 0; ; shift += 7) {
        byte b = data[at++];
        value |= (long) (b & 0x7f) << shift;
        if ((b & 0x80) == 0) {
          return value;
        }
      }
    }

    int varintAsInt() {
      return (int) varint();
    }

    byte[] bytes() {
      int length = varintAsInt();
      if (length < 0 || at + length > data.length) {
        throw new IndexOutOfBoundsException("length " + length + " at " + at);
      }
      byte[] value = Arrays.copyOfRange(data, at, at + length);
      at += length;
      return value;
    }

    void skip(int wireType) {
      switch (wireType) {
        case 0 -> varint();
        case 1 -> at += 8;
        case 2 -> bytes();
        case 5 -> at += 4;
        default -> throw new IndexOutOfBoundsException("unsupported wire type " + wireType);
      }
    }
  }
}
