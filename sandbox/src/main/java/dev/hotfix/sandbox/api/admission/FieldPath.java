package dev.hotfix.sandbox.api.admission;

/**
 * Field paths written as the API server writes them in errors: {@code spec.containers[0].image},
 * map entries as {@code spec.labels[key]}.
 */
final class FieldPath {
  private FieldPath() {
  }

  static String child(String parent, String name) {
    return parent.isEmpty() ? name : parent + "." + name;
  }

  static String index(String parent, int index) {
    return parent + "[" + index + "]";
  }

  static String key(String parent, String key) {
    return parent + "[" + key + "]";
  }
}
