package dev.hotfix.sandbox.cluster;

import dev.hotfix.json.KubernetesJson;

/**
 * Equality of API values as the API server would store them: compared in their JSON form, so a
 * null list and an empty one (which serialize the same) are equal. Controllers compare a
 * computed status with the stored one this way; a false difference would make them write,
 * receive their own update, and write again forever.
 */
final class SemanticEquality {

  private SemanticEquality() {}

  static boolean same(Object a, Object b) {
    return KubernetesJson.MAPPER.valueToTree(a).equals(KubernetesJson.MAPPER.valueToTree(b));
  }
}
