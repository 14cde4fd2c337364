package dev.hotfix.operator;

import com.fasterxml.jackson.databind.node.ArrayNode;
import dev.hotfix.rollout.DeploymentPatch;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import java.lang.reflect.Field;

/**
 * The mutation check of the zero-downtime promise: an operator that rolls out without its own
 * strategy, as a build whose {@link DeploymentPatch#strategy} did nothing would. Off unless the
 * test JVM runs with {@code -Dhotfix.mutant=skip-hotfix-strategy}
 * ({@code mvn -o test -Dhotfix.mutant=skip-hotfix-strategy -Dtest=HotfixScenarioTest}); then the
 * bed's operators send their apply patch without {@code /spec/strategy}, the owner's
 * {@code maxUnavailable} rules the rollout, and the bed's pod-level availability check must fail.
 */
final class SkipHotfixStrategyMutant implements WriteSeam {
  static final String PROPERTY = "hotfix.mutant";
  static final String VALUE = "skip-hotfix-strategy";

  private final WriteSeam delegate;

  private SkipHotfixStrategyMutant(WriteSeam delegate) {
    this.delegate = delegate;
  }

  /** {@code seam}, mutated when the JVM asks for the mutant. */
  static WriteSeam around(WriteSeam seam) {
    return VALUE.equals(System.getProperty(PROPERTY)) ? new SkipHotfixStrategyMutant(seam) : seam;
  }

  @Override
  public void beforeDeploymentPatch(Deployment base, DeploymentPatch patch) {
    delegate.beforeDeploymentPatch(base, patch);
    if (patch.toJson().contains("/spec/template/spec/containers/")) {
      ArrayNode ops = operations(patch);
      for (int i = ops.size() - 1; i >= 0; i--) {
        String path = ops.get(i).path("path").asText();
        if (path.equals("/spec/strategy") || path.equals("/spec/progressDeadlineSeconds")) {
          ops.remove(i);
        }
      }
    }
  }

  @Override
  public void afterDeploymentPatch(Deployment stored, DeploymentPatch patch) {
    delegate.afterDeploymentPatch(stored, patch);
  }

  @Override
  public void beforeHotfixWrite(dev.hotfix.api.v1alpha1.Hotfix desired) {
    delegate.beforeHotfixWrite(desired);
  }

  @Override
  public void afterStatusWrite(dev.hotfix.api.v1alpha1.Hotfix stored) {
    delegate.afterStatusWrite(stored);
  }

  /** The patch's operations, reached by reflection: the product offers no way to unsay a strategy, on purpose. */
  private static ArrayNode operations(DeploymentPatch patch) {
    try {
      Field ops = DeploymentPatch.class.getDeclaredField("ops");
      ops.setAccessible(true);
      return (ArrayNode) ops.get(patch);
    } catch (ReflectiveOperationException e) {
      throw new IllegalStateException("the mutant cannot reach DeploymentPatch's operations", e);
    }
  }
}
