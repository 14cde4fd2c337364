package dev.hotfix.reliability;

import dev.hotfix.operator.ScenarioBed;
import dev.hotfix.sandbox.SandboxOptions;

/** The reliability suite's name for the one {@link ScenarioBed}: no operator until the test starts one. */
final class ReliabilityBed extends ScenarioBed {
  ReliabilityBed(SandboxOptions options) {
    super(options);
  }
}
