package dev.hotfix.sandbox.cluster;

import dev.hotfix.rollout.PodTemplates;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The identity of a pod template, as the Deployment controller uses it: a short, stable hash that
 * names the ReplicaSet and labels its pods.
 *
 * <p>Like upstream, the hash is FNV-1a (32 bit) of the template plus the Deployment's collision
 * count, written as its decimal digits mapped into the alphabet {@code bcdfghjklmnpqrstvwxz2456789}
 * (upstream's "safe encoding", which avoids vowels and look-alike characters). The bytes hashed
 * are {@link PodTemplates#canonicalJson} (sorted keys, without empty values), so equal templates hash
 * equally however they were written; template equality is {@link PodTemplates#equalIgnoringHash}.
 */
final class PodTemplateHash {

  /** The label the Deployment controller adds to a ReplicaSet, its selector and its pods. */
  static final String LABEL = PodTemplates.HASH_LABEL;

  private static final String ALPHABET = "bcdfghjklmnpqrstvwxz2456789";

  private PodTemplateHash() {}

  /** The hash of a template for a Deployment whose status.collisionCount is {@code collisionCount}. */
  static String of(PodTemplateSpec template, Integer collisionCount) {
    int hash = 0x811c9dc5;
    byte[] bytes = PodTemplates.canonicalJson(template).getBytes(StandardCharsets.UTF_8);
    for (byte b : bytes) {
      hash ^= b & 0xff;
      hash *= 0x01000193;
    }
    if (collisionCount != null) {
      // upstream feeds the collision count into the same hash so a bump yields a new name
      for (byte b : Integer.toString(collisionCount).getBytes(StandardCharsets.US_ASCII)) {
        hash ^= b & 0xff;
        hash *= 0x01000193;
      }
    }
    String digits = Long.toString(Integer.toUnsignedLong(hash));
    StringBuilder out = new StringBuilder(digits.length());
    for (char c : digits.toCharArray()) {
      out.append(ALPHABET.charAt(c % ALPHABET.length()));
    }
    return out.toString();
  }

  /** A copy of {@code labels} with the hash label set. */
  static Map<String, String> withHashLabel(Map<String, String> labels, String hash) {
    Map<String, String> out = new LinkedHashMap<>();
    if (labels != null) {
      out.putAll(labels);
    }
    out.put(LABEL, hash);
    return out;
  }
}
