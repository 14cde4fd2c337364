package dev.hotfix.rollout;

import dev.hotfix.api.v1alpha1.JobCheck;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.PodTemplate;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobBuilder;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The Job a job check runs: the pod template of a PodTemplate in the Hotfix's namespace, owned
 * by the Hotfix, named from the Hotfix, the check and the attempt (a new attempt runs a new
 * Job), with the check's deadline, back-off limit and TTL, and the revision under test in the
 * environment of every container.
 */
public final class SmokeTestJob {
  /** The label naming the Hotfix whose check a Job is. */
  public static final String HOTFIX_LABEL = "hotfix.dev/hotfix";
  /** The label naming the check a Job runs (also what the operator's Job informer selects on). */
  public static final String CHECK_LABEL = "hotfix.dev/check";
  /** Environment variables the operator adds to every container of a smoke-test Job. */
  public static final String ENV_HOTFIX = "HOTFIX_NAME";
  public static final String ENV_TARGET = "HOTFIX_TARGET";
  public static final String ENV_HASH = "HOTFIX_POD_TEMPLATE_HASH";
  /** Job names are label values (job-name on its pods): at most 63 characters. */
  private static final int MAX_NAME = 63;
  private static final KubernetesSerialization JSON = new KubernetesSerialization();

  private SmokeTestJob() {
  }

  /** The Job's name: hotfix-check, cut to fit, and a short hash of the attempt so each attempt has its own. */
  public static String name(String hotfix, String check, String attempt) {
    String suffix = "-" + CanaryReplicaSet.hash(attempt + "/" + check);
    String base = hotfix + "-" + check;
    base = base.length() > MAX_NAME - suffix.length() ? base.substring(0, MAX_NAME - suffix.length()) : base;
    while (base.endsWith("-") || base.endsWith(".")) {
      base = base.substring(0, base.length() - 1);
    }
    return base + suffix;
  }

  /**
   * Why a PodTemplate cannot run as the check's Job, or empty when it can: a Job's pods must not
   * restart forever ({@code restartPolicy: Always} is refused by the API server for Jobs).
   */
  public static Optional<String> problem(String check, PodTemplate template) {
    PodTemplateSpec t = template.getTemplate();
    if (t == null || t.getSpec() == null || t.getSpec().getContainers() == null
        || t.getSpec().getContainers().isEmpty()) {
      return Optional.of("check " + check + ": PodTemplate " + template.getMetadata().getName() + " has no containers "
          + "in template.spec.containers");
    }
    String policy = t.getSpec().getRestartPolicy();
    if (policy != null && !policy.equals("Never") && !policy.equals("OnFailure")) {
      return Optional.of("check " + check + ": PodTemplate " + template.getMetadata().getName() + " has "
          + "restartPolicy " + policy + "; a Job's pods need Never or OnFailure (or leave it unset for Never)");
    }
    return Optional.empty();
  }

  /**
   * The Job for one check of one attempt.
   *
   * @param owner the Hotfix
   * @param check the check's name
   * @param spec the check's job settings (defaults already filled)
   * @param template the PodTemplate named by the check
   * @param attempt the attempt's token (a new attempt makes a new Job)
   * @param target the Deployment under test
   * @param podTemplateHash the revision under test
   */
  public static Job of(HasMetadata owner, String check, JobCheck spec, PodTemplate template, String attempt,
      String target, String podTemplateHash) {
    PodTemplateSpec pods = JSON.clone(template.getTemplate());
    if (pods.getSpec().getRestartPolicy() == null) {
      pods.getSpec().setRestartPolicy("Never");
    }
    Map<String, String> labels = new HashMap<>();
    labels.put(HOTFIX_LABEL, owner.getMetadata().getName());
    labels.put(CHECK_LABEL, check);
    Map<String, String> podLabels = pods.getMetadata() == null || pods.getMetadata().getLabels() == null
        ? new HashMap<>() : new HashMap<>(pods.getMetadata().getLabels());
    podLabels.putAll(labels);
    if (pods.getMetadata() == null) {
      pods.setMetadata(new ObjectMeta());
    }
    pods.getMetadata().setLabels(podLabels);
    List<EnvVar> env = List.of(new EnvVar(ENV_HOTFIX, owner.getMetadata().getName(), null),
        new EnvVar(ENV_TARGET, target, null), new EnvVar(ENV_HASH, podTemplateHash, null));
    for (Container c : pods.getSpec().getContainers()) {
      List<EnvVar> merged = new ArrayList<>(c.getEnv() == null ? List.of() : c.getEnv());
      merged.removeIf(e -> env.stream().anyMatch(x -> x.getName().equals(e.getName())));
      merged.addAll(env);
      c.setEnv(merged);
    }
    return new JobBuilder()
        .withNewMetadata()
          .withName(name(owner.getMetadata().getName(), check, attempt))
          .withNamespace(owner.getMetadata().getNamespace())
          .withLabels(labels)
          .withOwnerReferences(Owners.controlledBy(owner))
        .endMetadata()
        .withNewSpec()
          .withActiveDeadlineSeconds(spec.timeoutSeconds.longValue())
          .withBackoffLimit(spec.backoffLimit)
          .withTtlSecondsAfterFinished(spec.ttlSecondsAfterFinished)
          .withTemplate(pods)
        .endSpec()
        .build();
  }
}
