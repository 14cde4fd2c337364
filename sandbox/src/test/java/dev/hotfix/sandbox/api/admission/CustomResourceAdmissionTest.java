package dev.hotfix.sandbox.api.admission;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.hotfix.sandbox.api.Admission.FieldValidation;
import dev.hotfix.sandbox.api.Admission.Operation;
import dev.hotfix.sandbox.api.Admission.Request;
import dev.hotfix.sandbox.api.FieldError;
import dev.hotfix.sandbox.api.InvalidObjectException;
import dev.hotfix.sandbox.api.ResourceRef;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/** Admission of a custom resource against a small test CRD (src/test/resources/admission). */
class CustomResourceAdmissionTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final ResourceRef WIDGETS = new ResourceRef("test.hotfix.dev", "v1", "widgets", "shop", "w", null);
  private static final ResourceRef WIDGET_STATUS = new ResourceRef("test.hotfix.dev", "v1", "widgets", "shop", "w",
      "status");

  private final AtomicReference<JsonNode> crd = new AtomicReference<>(resource("/admission/widgets-crd.json"));
  private final SandboxAdmission admission = new SandboxAdmission(ref -> Optional.of(crd.get()));

  @Test
  void appliesStructuralDefaultsInsideObjectsArraysAndMaps() throws InvalidObjectException {
    JsonNode admitted = create(widget("""
        {"reason":"r","targets":[{"name":"a"}],"checks":[{"query":"q","thresholds":[{"max":0.5}]}],
         "labels":{"tier":{"value":"front"}}}"""));

    assertThat(admitted.get("spec")).isEqualTo(json("""
        {"reason":"r","severity":"Minor","replicas":1,"maxUnavailable":0,"allowDowntime":false,
         "targets":[{"name":"a","weight":100}],
         "checks":[{"query":"q","thresholds":[{"max":0.5,"window":"1m"}]}],
         "labels":{"tier":{"value":"front","weight":1}}}"""));
  }

  @Test
  void nullForANonNullableFieldIsDefaultedOrDroppedAndKeptWhenNullable() throws InvalidObjectException {
    JsonNode admitted = create(widget("{\"reason\":\"r\",\"replicas\":null,\"image\":null,\"note\":null}"));

    assertThat(admitted.at("/spec/replicas").asInt()).isEqualTo(1);
    assertThat(admitted.get("spec").has("image")).isFalse();
    assertThat(admitted.at("/spec/note").isNull()).isTrue();
  }

  @Test
  void enumFailureIsUnsupportedValue() {
    assertThat(refused(widget("{\"reason\":\"r\",\"severity\":\"Urgent\"}")).errors()).first().isEqualTo(
        new FieldError("FieldValueNotSupported", "spec.severity",
            "Unsupported value: \"Urgent\": supported values: \"Trivial\", \"Minor\", \"Major\", \"Critical\""));
  }

  @Test
  void missingRequiredFieldIsRequiredValue() {
    InvalidObjectException refused = refused(widget("{}"));

    assertThat(refused.errors()).containsExactly(new FieldError("FieldValueRequired", "spec.reason", "Required value"));
    assertThat(refused.code()).isEqualTo(422);
    assertThat(refused.getMessage()).isEqualTo("Widget.test.hotfix.dev \"w\" is invalid: spec.reason: Required value");
  }

  @Test
  void patternMinimumMinItemsMinLengthAndMaxLengthFailuresReadAsUpstream() {
    InvalidObjectException refused = refused(widget("""
        {"reason":"%s","image":"x y","replicas":-1,"targets":[],"labels":{}}""".formatted("r".repeat(1025))));
    InvalidObjectException emptyName = refused(widget("{\"reason\":\"r\",\"targets\":[{\"name\":\"\"}]}"));

    assertThat(refused.errors()).extracting(FieldError::toString).containsExactlyInAnyOrder(
        "spec.image: Invalid value: \"x y\": spec.image in body should match '^[^\\s]+$'",
        "spec.replicas: Invalid value: -1: spec.replicas in body should be greater than or equal to 0",
        "spec.targets: Invalid value: 0: spec.targets in body should have at least 1 items",
        "spec.reason: Too long: may not be more than 1024 bytes");
    assertThat(refused.errors()).filteredOn(e -> e.field().equals("spec.reason"))
        .extracting(FieldError::reason).containsExactly("FieldValueTooLong");
    assertThat(emptyName.errors()).extracting(FieldError::toString).containsExactly(
        "spec.targets[0].name: Invalid value: \"\": spec.targets[0].name in body should be at least 1 chars long");
  }

  /** A type error blocks the CEL rules, as upstream, which says so in one more error. */
  @Test
  void wrongTypeIsTypeInvalidAndBlocksTheRules() {
    assertThat(refused(widget("{\"reason\":\"r\",\"replicas\":\"string\"}")).errors()).containsExactly(
        new FieldError("FieldValueTypeInvalid", "spec.replicas",
            "Invalid value: \"string\": spec.replicas in body must be of type integer: \"string\""),
        new FieldError("FieldValueInvalid", "<nil>", "Invalid value: \"null\": some validation rules were not "
            + "checked because the object was invalid; correct the existing errors to complete validation"));
  }

  @Test
  void intOrStringTakesEitherAndRefusesOtherTypes() throws InvalidObjectException {
    JsonNode percent = create(widget("{\"reason\":\"r\",\"maxUnavailable\":\"25%\",\"allowDowntime\":true}"));
    InvalidObjectException percentWithoutDowntime = refused(widget("{\"reason\":\"r\",\"maxUnavailable\":\"25%\"}"));
    InvalidObjectException bool = refused(widget("{\"reason\":\"r\",\"maxUnavailable\":true,\"allowDowntime\":true}"));

    assertThat(percent.at("/spec/maxUnavailable").asText()).isEqualTo("25%");
    // A string compared with 0 is simply unequal in CEL (dyn), not an evaluation error.
    assertThat(percentWithoutDowntime.errors()).extracting(FieldError::toString).containsExactly(
        "spec.maxUnavailable: Invalid value: \"object\": maxUnavailable must be 0 unless allowDowntime is set");
    assertThat(bool.errors()).filteredOn(e -> e.reason().equals("FieldValueTypeInvalid"))
        .extracting(FieldError::field).containsOnly("spec.maxUnavailable").isNotEmpty();
  }

  @Test
  void unknownFieldsArePrunedUnlessPreservedAndRefusedUnderStrict() throws InvalidObjectException {
    String body = "{\"reason\":\"r\",\"foo\":1,\"targets\":[{\"name\":\"a\",\"bar\":2}],\"extra\":{\"any\":{\"x\":1}}}";

    JsonNode pruned = admission.admit(new Request(Operation.CREATE, WIDGETS, null, widget(body), FieldValidation.IGNORE));
    InvalidObjectException strict = catchThrowableOfType(InvalidObjectException.class,
        () -> admission.admit(new Request(Operation.CREATE, WIDGETS, null, widget(body), FieldValidation.STRICT)));

    assertThat(pruned.get("spec").has("foo")).isFalse();
    assertThat(pruned.at("/spec/targets/0")).isEqualTo(json("{\"name\":\"a\",\"weight\":100}"));
    assertThat(pruned.at("/spec/extra")).isEqualTo(json("{\"any\":{\"x\":1}}"));
    assertThat(pruned.at("/metadata/name").asText()).isEqualTo("w");
    assertThat(strict.code()).isEqualTo(400);
    assertThat(strict.getMessage())
        .isEqualTo("strict decoding error: unknown field \"spec.foo\", unknown field \"spec.targets[0].bar\"");
  }

  @Test
  void listMapKeysAndSetValuesMustBeUnique() {
    assertThat(refused(widget("""
        {"reason":"r","targets":[{"name":"a"},{"name":"b"},{"name":"a","weight":1}],"tags":["x","y","x"]}"""))
        .errors()).extracting(FieldError::toString).containsExactly(
            "spec.targets[2]: Duplicate value: map[string]interface {}{\"name\":\"a\"}",
            "spec.tags[2]: Duplicate value: \"x\"");
  }

  @Test
  void celCrossFieldRuleReportsItsMessageAtItsFieldPath() {
    assertThat(refused(widget("{\"reason\":\"r\",\"maxUnavailable\":1}")).errors()).containsExactly(
        new FieldError("FieldValueInvalid", "spec.maxUnavailable",
            "Invalid value: \"object\": maxUnavailable must be 0 unless allowDowntime is set"));
  }

  /** Upstream validates from a nil path: a rule on the root object is reported at {@code <nil>}. */
  @Test
  void ruleOnTheRootObjectUsesTheSetsExtensionAndReportsNilField() {
    assertThat(refused(widget("{\"reason\":\"r\",\"tags\":[\"x\",\"q\"]}")).errors()).containsExactly(
        new FieldError("FieldValueInvalid", "<nil>", "Invalid value: \"object\": tags must be x, y or z"));
  }

  @Test
  void celMessageExpressionBuildsTheMessage() {
    assertThat(refused(widget("{\"reason\":\"r\",\"replicas\":12}")).errors()).extracting(FieldError::toString)
        .containsExactly("spec: Invalid value: \"object\": replicas 12 is more than 10");
  }

  @Test
  void transitionRuleRunsOnlyOnUpdateWhereTheOldValueExists() throws InvalidObjectException {
    ObjectNode withOwner = widget("{\"reason\":\"r\",\"owner\":\"alice\"}");
    ObjectNode withoutOwner = widget("{\"reason\":\"r\"}");

    create(withOwner.deepCopy());
    admission.admit(new Request(Operation.UPDATE, WIDGETS, withoutOwner, withOwner.deepCopy(), FieldValidation.STRICT));
    admission.admit(new Request(Operation.UPDATE, WIDGETS, withOwner, withOwner.deepCopy(), FieldValidation.STRICT));
    InvalidObjectException changed = catchThrowableOfType(InvalidObjectException.class, () -> admission.admit(
        new Request(Operation.UPDATE, WIDGETS, withOwner, widget("{\"reason\":\"r\",\"owner\":\"bob\"}"),
            FieldValidation.STRICT)));

    assertThat(changed.errors()).containsExactly(
        new FieldError("FieldValueInvalid", "spec.owner", "Invalid value: \"string\": owner is immutable"));
  }

  @Test
  void allFieldErrorsAreReportedTogether() {
    InvalidObjectException refused = refused(widget("{\"image\":\"x y\",\"maxUnavailable\":1}"));

    assertThat(refused.errors()).extracting(FieldError::field)
        .containsExactlyInAnyOrder("spec.reason", "spec.image", "spec.maxUnavailable");
    assertThat(refused.getMessage()).startsWith("Widget.test.hotfix.dev \"w\" is invalid: [");
  }

  @Test
  void ruleThatDoesNotCompileIsReportedNotPassed() {
    crd.set(withSpecRule("self.replicas >", "2"));

    assertThat(refused(widget("{\"reason\":\"r\"}")).errors()).singleElement().satisfies(error -> {
      assertThat(error.field()).isEqualTo("spec");
      assertThat(error.message()).startsWith("Invalid value: \"object\": rule compile error: ");
    });
  }

  @Test
  void aChangedCrdIsRecompiledOnItsNewResourceVersion() throws InvalidObjectException {
    create(widget("{\"reason\":\"r\",\"replicas\":3}"));
    crd.set(withSpecRule("self.replicas < 3", "2"));

    assertThat(refused(widget("{\"reason\":\"r\",\"replicas\":3}")).errors()).extracting(FieldError::message)
        .containsExactly("Invalid value: \"object\": failed rule: self.replicas < 3");
  }

  @Test
  void mainResourceIgnoresStatusAndStatusSubresourceValidatesOnlyStatus() throws InvalidObjectException {
    ObjectNode badStatus = widget("{\"reason\":\"r\"}");
    badStatus.putObject("status").put("phase", "Bogus");
    ObjectNode badSpecGoodStatus = widget("{\"severity\":\"Urgent\"}");
    badSpecGoodStatus.putObject("status").put("phase", "Done").put("junk", 1);

    JsonNode main = create(badStatus.deepCopy());
    JsonNode status = admission.admit(new Request(Operation.UPDATE, WIDGET_STATUS, badSpecGoodStatus,
        badSpecGoodStatus.deepCopy(), FieldValidation.IGNORE));
    InvalidObjectException refused = catchThrowableOfType(InvalidObjectException.class, () -> admission.admit(
        new Request(Operation.UPDATE, WIDGET_STATUS, badStatus, badStatus.deepCopy(), FieldValidation.IGNORE)));

    assertThat(main.at("/status/phase").asText()).isEqualTo("Bogus");
    assertThat(status.get("status")).isEqualTo(json("{\"phase\":\"Done\"}"));
    assertThat(status.at("/spec/severity").asText()).isEqualTo("Urgent");
    assertThat(refused.errors()).extracting(FieldError::toString).containsExactly(
        "status.phase: Unsupported value: \"Bogus\": supported values: \"Pending\", \"Done\"");
  }

  @Test
  void builtinResourcesWithoutCrdPassThroughUnchanged() throws InvalidObjectException {
    SandboxAdmission noCrds = new SandboxAdmission(ref -> Optional.empty());
    JsonNode configMap = json("{\"apiVersion\":\"v1\",\"kind\":\"ConfigMap\",\"metadata\":{\"name\":\"c\"},\"data\":{\"a\":\"1\"}}");

    JsonNode admitted = noCrds.admit(new Request(Operation.CREATE,
        new ResourceRef("", "v1", "configmaps", "shop", "c", null), null, configMap.deepCopy(), FieldValidation.STRICT));

    assertThat(admitted).isEqualTo(configMap);
  }

  private JsonNode create(ObjectNode widget) throws InvalidObjectException {
    return admission.admit(new Request(Operation.CREATE, WIDGETS, null, widget, FieldValidation.STRICT));
  }

  private InvalidObjectException refused(ObjectNode widget) {
    InvalidObjectException refused = catchThrowableOfType(InvalidObjectException.class, () -> create(widget));
    assertThat(refused).as("refused").isNotNull();
    return refused;
  }

  /** The test CRD with one more rule on spec, at a new resourceVersion. */
  private JsonNode withSpecRule(String rule, String resourceVersion) {
    ObjectNode changed = crd.get().deepCopy();
    ((ObjectNode) changed.get("metadata")).put("resourceVersion", resourceVersion);
    ((com.fasterxml.jackson.databind.node.ArrayNode) changed.at(
        "/spec/versions/0/schema/openAPIV3Schema/properties/spec/x-kubernetes-validations")).addObject().put("rule", rule);
    return changed;
  }

  private static ObjectNode widget(String spec) {
    ObjectNode widget = (ObjectNode) json("""
        {"apiVersion":"test.hotfix.dev/v1","kind":"Widget","metadata":{"name":"w","namespace":"shop"}}""");
    widget.set("spec", json(spec));
    return widget;
  }

  private static JsonNode json(String text) {
    try {
      return JSON.readTree(text);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static JsonNode resource(String path) {
    try (InputStream in = CustomResourceAdmissionTest.class.getResourceAsStream(path)) {
      return JSON.readTree(in);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
