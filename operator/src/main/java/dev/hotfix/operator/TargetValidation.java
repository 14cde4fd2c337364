package dev.hotfix.operator;

import dev.hotfix.api.v1alpha1.ApiPatterns;
import dev.hotfix.rollout.PodTemplates;
import dev.hotfix.api.v1alpha1.TargetKind;
import dev.hotfix.rollout.WorkloadView;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * What makes a target (Deployment, StatefulSet, DaemonSet) unsafe to hot-fix, each problem phrased as what to fix. Checked
 * before anything is written, so a refused Hotfix changes nothing.
 */
final class TargetValidation {
  private static final Pattern PINNED_IMAGE = Pattern.compile(ApiPatterns.PINNED_IMAGE);

  private TargetValidation() {
  }

  static List<String> problems(EffectiveSpec spec, Deployment d) {
    String name = WorkloadView.kindOf(d) + " " + d.getMetadata().getName();
    List<String> problems = new ArrayList<>();
    Map<String, String> current = PodTemplates.images(d.getSpec().getTemplate());
    spec.images().forEach((container, image) -> {
      if (!current.containsKey(container)) {
        problems.add("container \"" + container + "\" is not in " + name + "'s pod template (it has: "
            + String.join(", ", current.keySet()) + "): fix spec.containers");
      }
      if (!PINNED_IMAGE.matcher(image).matches()) {
        problems.add("image \"" + image + "\" is not a valid image reference pinned by tag or digest: fix "
            + "spec.containers");
      }
    });
    TargetKind kind = WorkloadView.kindOf(d);
    if (kind == TargetKind.Deployment) {
      deploymentProblems(spec, d, name, problems);
    } else if (d.getSpec().getStrategy() != null && "OnDelete".equals(d.getSpec().getStrategy().getType())) {
      problems.add(name + " uses updateStrategy OnDelete, whose pods take a new template only when someone deletes "
          + "them: a hot fix needs RollingUpdate (change the " + kind + "'s updateStrategy first)");
    }
    if (d.getSpec().getRevisionHistoryLimit() != null && d.getSpec().getRevisionHistoryLimit() == 0) {
      problems.add(name + " keeps no old " + kind.revisionHolder() + "s (revisionHistoryLimit: 0), so there would be "
          + "nothing to roll back to: set revisionHistoryLimit to at least 1");
    }
    return problems;
  }

  private static void deploymentProblems(EffectiveSpec spec, Deployment d, String name, List<String> problems) {
    if (d.getSpec().getStrategy() != null && "Recreate".equals(d.getSpec().getStrategy().getType())) {
      problems.add(name + " uses strategy Recreate, which stops every pod before starting new ones: a hot fix "
          + "needs RollingUpdate (change the Deployment's strategy first)");
    }
    if (Boolean.TRUE.equals(d.getSpec().getPaused())) {
      problems.add(name + " is paused (spec.paused: true): resume it (kubectl rollout resume deployment/"
          + d.getMetadata().getName() + ") and apply the Hotfix again");
    }
    int minReady = d.getSpec().getMinReadySeconds() == null ? 0 : d.getSpec().getMinReadySeconds();
    long deadline = spec.progressDeadline().toSeconds();
    if (minReady >= deadline) {
      // The operator's patch sets progressDeadlineSeconds; the API server refuses one not above minReadySeconds.
      problems.add(name + " has minReadySeconds " + minReady + ", not below the progressDeadlineSeconds " + deadline
          + " the Hotfix would set, which the API server refuses (progressDeadlineSeconds must be greater than "
          + "minReadySeconds): set spec.rollout.progressDeadlineSeconds above " + minReady);
    }
  }
}
