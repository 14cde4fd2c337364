package dev.hotfix.sandbox.api.patch;

import java.util.HashMap;
import java.util.Map;
import java.util.function.Function;

/**
 * The patch metadata of one object type, as upstream's Go struct tags define it
 * ({@code patchStrategy}, {@code patchMergeKey}): for each field, whether its list merges by key
 * or is replaced, and the metadata of what the field holds. Fields that are not listed hold
 * atomic lists and recursively merged maps, which is upstream's default.
 */
final class PatchSchema {
  /** A type with no patch metadata: maps merge recursively, lists are replaced. */
  static final PatchSchema OPAQUE = new PatchSchema(Map.of());

  private final Map<String, Field> fields;

  private PatchSchema(Map<String, Field> fields) {
    this.fields = fields;
  }

  /** A type whose fields carry the given metadata. */
  static PatchSchema of(Map<String, Field> fields) {
    return new PatchSchema(Map.copyOf(fields));
  }

  /** A type whose fields may hold the type itself (a tree), given its fields in terms of itself. */
  static PatchSchema recursive(Function<PatchSchema, Map<String, Field>> fields) {
    PatchSchema self = new PatchSchema(new HashMap<>());
    self.fields.putAll(fields.apply(self));
    return self;
  }

  /** The metadata of a field; atomic and opaque when the type does not list it. */
  Field field(String name) {
    return fields.getOrDefault(name, Field.ATOMIC);
  }

  /**
   * Patch metadata of one field.
   *
   * @param mergeList the field is a list merged element by element ({@code patchStrategy:"merge"})
   * @param mergeKey the key identifying elements of a merged list of maps; null for a merged
   *     list of primitives (a set union) and for non-list fields
   * @param schema the metadata of the field's value (of each element for a list)
   */
  record Field(boolean mergeList, String mergeKey, PatchSchema schema) {
    static final Field ATOMIC = new Field(false, null, OPAQUE);

    /** A nested object (or an atomic list of objects) with its own metadata. */
    static Field nested(PatchSchema schema) {
      return new Field(false, null, schema);
    }

    /** A list of maps merged by {@code mergeKey}, elements described by {@code schema}. */
    static Field mergedByKey(String mergeKey, PatchSchema schema) {
      return new Field(true, mergeKey, schema);
    }

    /** A list of maps merged by {@code mergeKey}, elements without further metadata. */
    static Field mergedByKey(String mergeKey) {
      return mergedByKey(mergeKey, OPAQUE);
    }

    /** A list of primitives merged as a set ({@code metadata.finalizers}). */
    static Field mergedPrimitives() {
      return new Field(true, null, OPAQUE);
    }
  }
}
