package dev.hotfix.sandbox.cluster;

import dev.hotfix.notify.EventRecorder;
import dev.hotfix.sandbox.Informers;
import io.fabric8.kubernetes.api.model.DeletionPropagation;
import io.fabric8.kubernetes.api.model.EventSource;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobCondition;
import io.fabric8.kubernetes.api.model.batch.v1.JobConditionBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.JobStatus;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.fabric8.kubernetes.client.readiness.Readiness;
import java.net.HttpURLConnection;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The sandbox's Job controller, after kube-controller-manager's (non-indexed Jobs): keeps
 * {@code min(parallelism, completions - succeeded)} pods running (named {@code <job>-<5 random
 * chars>}, labelled {@code batch.kubernetes.io/job-name} and {@code controller-uid}, controlled by
 * the Job), counts finished pods into {@code status.succeeded} and {@code status.failed} (with
 * {@code restartPolicy: OnFailure}, container restarts count as failures, as upstream), and ends
 * the Job:
 * <ul>
 *   <li>{@code completions} pods succeeded: conditions SuccessCriteriaMet and Complete, completionTime;
 *   <li>more failures than {@code backoffLimit} (default 6): FailureTarget, reason BackoffLimitExceeded;
 *   <li>running longer than {@code activeDeadlineSeconds}: FailureTarget, reason DeadlineExceeded;
 * </ul>
 * a failing Job's running pods are deleted, and once none is left it gets the Failed condition.
 * A failed pod is replaced after a back-off (the cluster's, doubling per failure). A finished
 * Job with {@code ttlSecondsAfterFinished} is deleted that long after it finished (upstream's
 * TTL-after-finished controller), its pods with it.
 */
final class JobController implements AutoCloseable {
  /** Upstream's default backoffLimit. */
  private static final int DEFAULT_BACKOFF_LIMIT = 6;
  private static final EventSource SOURCE = new EventSource("job-controller", null);
  static final String JOB_NAME_LABEL = "batch.kubernetes.io/job-name";
  static final String CONTROLLER_UID_LABEL = "batch.kubernetes.io/controller-uid";

  private final KubernetesClient client;
  private final SharedIndexInformer<Job> jobs;
  private final SharedIndexInformer<Pod> pods;
  private final ClusterTiming timing;
  private final EventRecorder events;
  private final ReplicaSetExpectations expectations = new ReplicaSetExpectations();
  private final WorkQueue queue;

  JobController(KubernetesClient client, SharedIndexInformer<Job> jobs, SharedIndexInformer<Pod> pods,
      ClusterTiming timing, EventRecorder events, int workers) {
    this.client = client;
    this.jobs = jobs;
    this.pods = pods;
    this.timing = timing;
    this.events = events;
    this.queue = new WorkQueue("job-controller", workers, this::sync);
    jobs.addEventHandler(Informers.onAny(job -> queue.add(ControllerRefs.keyOf(job))));
    pods.addEventHandler(new ResourceEventHandler<>() {
      @Override
      public void onAdd(Pod pod) {
        ownerKey(pod).ifPresent(key -> {
          expectations.creationObserved(key, pod.getMetadata().getName());
          queue.add(key);
        });
      }

      @Override
      public void onUpdate(Pod before, Pod after) {
        ownerKey(after).ifPresent(queue::add);
      }

      @Override
      public void onDelete(Pod pod, boolean finalStateUnknown) {
        ownerKey(pod).ifPresent(queue::add);
      }
    });
  }

  void start() {
    queue.start();
  }

  @Override
  public void close() {
    queue.close();
  }

  private static Optional<String> ownerKey(Pod pod) {
    return ControllerRefs.controllerOf(pod, "Job").map(ref -> ControllerRefs.keyOf(pod, ref));
  }

  private void sync(String key) {
    Job job = jobs.getIndexer().getByKey(key);
    if (job == null) {
      expectations.forget(key);
      return;
    }
    if (job.getMetadata().getDeletionTimestamp() != null) {
      return;
    }
    Instant now = Instant.now();
    if (finished(job).isPresent()) {
      expireAfterTtl(key, job, now);
      return;
    }
    List<Pod> owned = pods.getIndexer().byIndex(ControllerRefs.BY_CONTROLLER_UID, job.getMetadata().getUid());
    // active: not finished (terminating ones too, as upstream's status.active); running: not being deleted either
    List<Pod> active = owned.stream().filter(p -> !"Succeeded".equals(Pods.phase(p)) && !"Failed".equals(Pods.phase(p)))
        .toList();
    List<Pod> running = active.stream().filter(Pods::isActive).toList();
    List<Pod> failedPods = owned.stream().filter(p -> "Failed".equals(Pods.phase(p))).toList();
    int succeeded = (int) owned.stream().filter(p -> "Succeeded".equals(Pods.phase(p))).count();
    int restarts = "OnFailure".equals(restartPolicy(job)) ? active.stream().mapToInt(Pods::restartCount).sum() : 0;
    int failed = failedPods.size() + restarts;
    Instant startTime = job.getStatus() == null || job.getStatus().getStartTime() == null ? now
        : Timestamps.parse(job.getStatus().getStartTime());
    JobStatus status = new JobStatus();
    status.setStartTime(Timestamps.format(startTime));
    status.setSucceeded(succeeded);
    status.setFailed(failed);
    status.setReady((int) running.stream().filter(Readiness::isPodReady).count());
    List<JobCondition> conditions = new ArrayList<>(job.getStatus() == null || job.getStatus().getConditions() == null
        ? List.of() : job.getStatus().getConditions());
    Optional<JobCondition> failing = conditions.stream().filter(c -> "FailureTarget".equals(c.getType())).findFirst();
    Duration retryIn = null;
    if (failing.isEmpty()) {
      failing = failure(job, failed, startTime, now);
      failing.ifPresent(f -> {
        conditions.add(f);
        events.record(job, SOURCE, EventRecorder.WARNING, f.getReason(), f.getMessage());
      });
    }
    if (failing.isPresent()) {
      running.forEach(this::delete);
      if (active.isEmpty()) {
        conditions.add(condition("Failed", failing.get().getReason(), failing.get().getMessage(), now));
      }
    } else if (succeeded >= completions(job)) {
      conditions.add(condition("SuccessCriteriaMet", "CompletionsReached", "Reached expected number of succeeded pods",
          now));
      conditions.add(condition("Complete", "CompletionsReached", "Reached expected number of succeeded pods", now));
      status.setCompletionTime(Timestamps.format(now));
      events.record(job, SOURCE, EventRecorder.NORMAL, "Completed", "Job completed");
    } else if (expectations.satisfied(key)) {
      int wanted = Math.min(parallelism(job), completions(job) - succeeded) - running.size();
      Instant retryAt = failedPods.stream().map(JobController::finishedAt).max(Instant::compareTo)
          .map(last -> last.plus(timing.backOffAfter(failedPods.size()))).orElse(now);
      if (wanted > 0 && now.isBefore(retryAt)) {
        retryIn = Duration.between(now, retryAt);
      } else if (wanted > 0) {
        create(key, job, wanted);
      }
    }
    status.setActive(active.size());
    status.setConditions(conditions.isEmpty() ? null : conditions);
    if (!SemanticEquality.same(status, job.getStatus())) {
      Job copy = client.getKubernetesSerialization().clone(job);
      copy.setStatus(status);
      client.batch().v1().jobs().resource(copy).updateStatus();
    }
    Optional<Duration> deadlineIn = deadline(job, startTime).map(d -> Duration.between(now, d));
    Duration next = retryIn;
    if (failing.isEmpty() && deadlineIn.isPresent() && (next == null || deadlineIn.get().compareTo(next) < 0)) {
      next = deadlineIn.get();
    }
    if (next != null) {
      queue.addAfter(key, next.isNegative() ? Duration.ZERO : next);
    }
  }

  /** Why the Job fails now, if it does: too many failures, or past its active deadline. */
  private static Optional<JobCondition> failure(Job job, int failed, Instant startTime, Instant now) {
    int limit = job.getSpec().getBackoffLimit() == null ? DEFAULT_BACKOFF_LIMIT : job.getSpec().getBackoffLimit();
    if (failed > limit) {
      return Optional.of(condition("FailureTarget", "BackoffLimitExceeded", "Job has reached the specified backoff "
          + "limit", now));
    }
    if (deadline(job, startTime).filter(d -> !now.isBefore(d)).isPresent()) {
      return Optional.of(condition("FailureTarget", "DeadlineExceeded", "Job was active longer than specified "
          + "deadline", now));
    }
    return Optional.empty();
  }

  private static Optional<Instant> deadline(Job job, Instant startTime) {
    Long seconds = job.getSpec().getActiveDeadlineSeconds();
    return seconds == null ? Optional.empty() : Optional.of(startTime.plusSeconds(seconds));
  }

  /** Deletes a finished Job once its TTL is over (and its pods with it), or comes back then. */
  private void expireAfterTtl(String key, Job job, Instant now) {
    Integer ttl = job.getSpec().getTtlSecondsAfterFinished();
    if (ttl == null) {
      return;
    }
    Instant finishedAt = finished(job).map(c -> Timestamps.parse(c.getLastTransitionTime())).orElse(now);
    Instant expiry = finishedAt.plusSeconds(ttl);
    if (now.isBefore(expiry)) {
      queue.addAfter(key, Duration.between(now, expiry));
      return;
    }
    try {
      client.batch().v1().jobs().inNamespace(job.getMetadata().getNamespace()).withName(job.getMetadata().getName())
          .withPropagationPolicy(DeletionPropagation.BACKGROUND).delete();
    } catch (KubernetesClientException e) {
      if (e.getCode() != HttpURLConnection.HTTP_NOT_FOUND) {
        throw e;
      }
    }
  }

  /** The Job's Complete or Failed condition, once it has one. */
  private static Optional<JobCondition> finished(Job job) {
    return job.getStatus() == null || job.getStatus().getConditions() == null ? Optional.empty()
        : job.getStatus().getConditions().stream().filter(c -> ("Complete".equals(c.getType())
            || "Failed".equals(c.getType())) && "True".equals(c.getStatus())).findFirst();
  }

  private void create(String key, Job job, int count) {
    List<Pod> toCreate = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      toCreate.add(newPod(job));
    }
    expectations.expectCreations(key, toCreate.stream().map(p -> p.getMetadata().getName()).toList());
    for (Pod pod : toCreate) {
      try {
        client.pods().resource(pod).create();
        events.record(job, SOURCE, EventRecorder.NORMAL, "SuccessfulCreate", "Created pod: "
            + pod.getMetadata().getName());
      } catch (KubernetesClientException e) {
        expectations.creationObserved(key, pod.getMetadata().getName());
        events.record(job, SOURCE, EventRecorder.WARNING, "FailedCreate", "Error creating: " + e.getMessage());
        throw e;
      }
    }
  }

  private void delete(Pod pod) {
    try {
      client.pods().inNamespace(pod.getMetadata().getNamespace()).withName(pod.getMetadata().getName()).delete();
    } catch (KubernetesClientException e) {
      if (e.getCode() != HttpURLConnection.HTTP_NOT_FOUND) {
        throw e;
      }
    }
  }

  private Pod newPod(Job job) {
    PodTemplateSpec template = client.getKubernetesSerialization().clone(job.getSpec().getTemplate());
    Map<String, String> labels = new HashMap<>(template.getMetadata() == null || template.getMetadata().getLabels()
        == null ? Map.of() : template.getMetadata().getLabels());
    // what upstream's API server adds to a Job's template (and selects on) when it defaults the selector
    labels.put(JOB_NAME_LABEL, job.getMetadata().getName());
    labels.put("job-name", job.getMetadata().getName());
    labels.put(CONTROLLER_UID_LABEL, job.getMetadata().getUid());
    labels.put("controller-uid", job.getMetadata().getUid());
    return new PodBuilder()
        .withNewMetadata()
        .withName(job.getMetadata().getName() + "-" + Pods.randomSuffix())
        .withNamespace(job.getMetadata().getNamespace())
        .withLabels(labels)
        .withAnnotations(template.getMetadata() == null ? null : template.getMetadata().getAnnotations())
        .withOwnerReferences(ControllerRefs.controlledBy(job))
        .endMetadata()
        .withSpec(template.getSpec())
        .build();
  }

  private static JobCondition condition(String type, String reason, String message, Instant now) {
    String at = Timestamps.format(now);
    return new JobConditionBuilder().withType(type).withStatus("True").withReason(reason).withMessage(message)
        .withLastProbeTime(at).withLastTransitionTime(at).build();
  }

  private static Instant finishedAt(Pod pod) {
    return pod.getStatus() == null || pod.getStatus().getContainerStatuses() == null ? Instant.EPOCH
        : pod.getStatus().getContainerStatuses().stream()
            .map(c -> c.getState() == null || c.getState().getTerminated() == null ? null
                : Timestamps.parse(c.getState().getTerminated().getFinishedAt()))
            .filter(java.util.Objects::nonNull).max(Instant::compareTo).orElse(Instant.EPOCH);
  }

  private static String restartPolicy(Job job) {
    return job.getSpec().getTemplate() == null || job.getSpec().getTemplate().getSpec() == null ? null
        : job.getSpec().getTemplate().getSpec().getRestartPolicy();
  }

  private static int completions(Job job) {
    return job.getSpec().getCompletions() == null ? 1 : job.getSpec().getCompletions();
  }

  private static int parallelism(Job job) {
    return job.getSpec().getParallelism() == null ? 1 : job.getSpec().getParallelism();
  }
}
