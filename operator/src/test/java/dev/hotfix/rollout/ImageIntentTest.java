package dev.hotfix.rollout;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ImageIntentTest {
  private static final String DIGEST = "@sha256:" + "a".repeat(64);

  @Test
  void aDigestPinnedByAWebhookInTheSameRepositoryIsOurs() {
    assertThat(ImageIntent.isOurs("registry:5000/shop/web:1.1", "registry:5000/shop/web:1.1")).isTrue();
    assertThat(ImageIntent.isOurs("registry:5000/shop/web:1.1", "registry:5000/shop/web:1.1" + DIGEST)).isTrue();
    assertThat(ImageIntent.isOurs("registry:5000/shop/web:1.1", "registry:5000/shop/web" + DIGEST)).isTrue();
  }

  @Test
  void anotherTagRepositoryOrDigestIsSomeoneElses() {
    assertThat(ImageIntent.isOurs("registry:5000/shop/web:1.1", "registry:5000/shop/web:1.2" + DIGEST)).isFalse();
    assertThat(ImageIntent.isOurs("registry:5000/shop/web:1.1", "registry:5000/shop/api:1.1" + DIGEST)).isFalse();
    assertThat(ImageIntent.isOurs("registry:5000/shop/web:1.1", "registry:5000/shop/web:1.2")).isFalse();
    assertThat(ImageIntent.isOurs("web:1.1" + DIGEST, "web:1.1@sha256:" + "b".repeat(64))).isFalse();
    assertThat(ImageIntent.isOurs("web:1.1", null)).isFalse();
  }
}
