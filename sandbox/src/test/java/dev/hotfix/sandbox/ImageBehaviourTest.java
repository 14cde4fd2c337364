package dev.hotfix.sandbox;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ImageBehaviourTest {

  @ParameterizedTest
  @CsvSource({
      "registry.example.com/checkout:1.4.2-crashloop, CRASHLOOP",
      "checkout:unready, UNREADY",
      "localhost:5000/checkout:2-pullerr, PULLERR",
      "checkout:1.4.2-errors, ERRORS",
      "checkout:SLOW, SLOW",
      "checkout:1.4.2, HEALTHY",
      // a registry port or a path segment is not a tag
      "crashloop.example.com:5000/errors/app, HEALTHY",
      "checkout:1.0-errors@sha256:abc, ERRORS",
  })
  void behaviourFollowsTheTagOnly(String image, ImageBehaviour expected) {
    assertThat(ImageBehaviour.of(image)).isEqualTo(expected);
  }
}
