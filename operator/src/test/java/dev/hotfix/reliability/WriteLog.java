package dev.hotfix.reliability;

import dev.hotfix.api.v1alpha1.Hotfix;
import dev.hotfix.operator.WriteSeam;
import dev.hotfix.rollout.DeploymentPatch;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Predicate;

/**
 * A {@link WriteSeam} that records every Deployment patch an operator stored and, when armed,
 * crashes the operator at one boundary: it throws there, and refuses every later write of that
 * operator, as a dead process would make none. Shared by the operators of one scenario, so the
 * patches of the crashed one and of its successor are counted together.
 */
final class WriteLog implements WriteSeam {
  /** Where to crash. */
  enum Boundary { BEFORE_DEPLOYMENT_PATCH, AFTER_DEPLOYMENT_PATCH, AFTER_STATUS_WRITE }

  /** Thrown where the operator "dies". */
  static final class SimulatedCrash extends RuntimeException {
    SimulatedCrash(String where) {
      super("simulated operator crash " + where);
    }
  }

  private final List<String> patches = new CopyOnWriteArrayList<>();
  private volatile Boundary crashAt;
  private volatile int crashOnPatch;
  private volatile Predicate<Hotfix> crashAfterStatus = h -> false;
  private volatile boolean crashed;

  /** Crashes before (or after) the {@code n}-th Deployment patch (1-based, counted over every operator). */
  WriteLog crashAroundPatch(Boundary boundary, int n) {
    crashAt = boundary;
    crashOnPatch = n;
    return this;
  }

  /** Crashes right after a status write that {@code when} matches. */
  WriteLog crashAfterStatus(Predicate<Hotfix> when) {
    crashAt = Boundary.AFTER_STATUS_WRITE;
    crashAfterStatus = when;
    return this;
  }

  /** A seam for a successor operator: records into the same log, never crashes. */
  WriteSeam survivor() {
    WriteLog log = this;
    return new WriteSeam() {
      @Override
      public void afterDeploymentPatch(Deployment stored, DeploymentPatch patch) {
        log.patches.add(patch.toJson());
      }
    };
  }

  boolean crashed() {
    return crashed;
  }

  /** Every stored patch's JSON, in order. */
  List<String> patches() {
    return List.copyOf(patches);
  }

  /** Stored patches that set a container image (the rollout) or a whole template (the rollback). */
  long patchesTouching(String path) {
    return patches.stream().filter(p -> p.contains(path)).count();
  }

  @Override
  public void beforeDeploymentPatch(Deployment base, DeploymentPatch patch) {
    refuseIfDead();
    if (crashAt == Boundary.BEFORE_DEPLOYMENT_PATCH && patches.size() + 1 == crashOnPatch) {
      die("before Deployment patch " + crashOnPatch);
    }
  }

  @Override
  public void afterDeploymentPatch(Deployment stored, DeploymentPatch patch) {
    patches.add(patch.toJson());
    if (crashAt == Boundary.AFTER_DEPLOYMENT_PATCH && patches.size() == crashOnPatch) {
      die("after Deployment patch " + crashOnPatch);
    }
  }

  @Override
  public void beforeHotfixWrite(Hotfix desired) {
    refuseIfDead();
  }

  @Override
  public void afterStatusWrite(Hotfix stored) {
    if (crashAt == Boundary.AFTER_STATUS_WRITE && crashAfterStatus.test(stored)) {
      die("after a status write (" + stored.getStatus().phase + ")");
    }
  }

  private void refuseIfDead() {
    if (crashed) {
      throw new SimulatedCrash("earlier: a dead operator writes nothing");
    }
  }

  private void die(String where) {
    crashed = true;
    throw new SimulatedCrash(where);
  }
}
