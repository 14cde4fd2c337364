package dev.hotfix.sandbox.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

/**
 * Bodies recorded from kubectl v1.32: {@code create namespace shop}, {@code create secret generic
 * s1 --from-literal=p=q}, {@code auth can-i delete pods}.
 */
class ProtobufBodiesTest {
  private static final String NAMESPACE = "6b3873000a0f0a02763112094e616d657370616365121c0a140a0473686f7012001a00220"
      + "02a0032003800420012001a020a001a002200";
  private static final String SECRET = "6b3873000a0c0a0276311206536563726574121e0a120a02733112001a0022002a00320038"
      + "00420012060a01701201711a001a002200";
  private static final String ACCESS_REVIEW = "6b3873000a320a17617574686f72697a6174696f6e2e6b38732e696f2f763112175"
      + "3656c665375626a656374416363657373526576696577123f0a100a0012001a0022002a0032003800420012210a1f0a0764656661"
      + "756c74120664656c6574651a0022002a04706f647332003a001a08080012001a0020001a002200";

  @Test
  void readsANamespace() {
    ObjectNode namespace = ProtobufBodies.toJson(HexFormat.of().parseHex(NAMESPACE));

    assertThat(namespace.toString()).isEqualTo(
        "{\"apiVersion\":\"v1\",\"kind\":\"Namespace\",\"metadata\":{\"name\":\"shop\"},\"spec\":{}}");
  }

  @Test
  void readsSecretDataAsBase64() {
    ObjectNode secret = ProtobufBodies.toJson(HexFormat.of().parseHex(SECRET));

    assertThat(secret.path("metadata").path("name").asText()).isEqualTo("s1");
    assertThat(secret.path("data").path("p").asText()).isEqualTo("cQ==");
    assertThat(secret.has("type")).isFalse();
  }

  @Test
  void readsAnAccessReview() {
    ObjectNode review = ProtobufBodies.toJson(HexFormat.of().parseHex(ACCESS_REVIEW));

    assertThat(review.path("kind").asText()).isEqualTo("SelfSubjectAccessReview");
    assertThat(review.path("spec").path("resourceAttributes").toString())
        .isEqualTo("{\"namespace\":\"default\",\"verb\":\"delete\",\"resource\":\"pods\"}");
  }

  @Test
  void refusesKindsItDoesNotRead() {
    // an apps/v1 Deployment (with an empty object): reading it would need upstream's full schema
    byte[] body = HexFormat.of().parseHex("6b387300" + "0a15" + "0a07617070732f7631" + "120a4465706c6f796d656e74"
        + "1200");

    assertThatThrownBy(() -> ProtobufBodies.toJson(body)).isInstanceOfSatisfying(ApiError.class,
        e -> assertThat(e.code()).isEqualTo(415));
  }

  @Test
  void refusesWhatIsNotKubernetesProtobuf() {
    assertThatThrownBy(() -> ProtobufBodies.toJson("{}".getBytes(java.nio.charset.StandardCharsets.UTF_8)))
        .isInstanceOfSatisfying(ApiError.class, e -> assertThat(e.code()).isEqualTo(400));
    assertThatThrownBy(() -> ProtobufBodies.toJson(HexFormat.of().parseHex("6b3873000a0f0a02")))
        .isInstanceOfSatisfying(ApiError.class, e -> assertThat(e.code()).isEqualTo(400));
  }
}
