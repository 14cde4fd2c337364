package dev.hotfix.health.job;

import io.fabric8.kubernetes.api.model.PodTemplate;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/** Job checks' cluster for handler tests: PodTemplates and Jobs kept in maps, created Jobs stored as given. */
public final class InMemorySmokeTestJobs implements SmokeTestJobs {
  final Map<String, PodTemplate> templates = new ConcurrentHashMap<>();
  final Map<String, Job> jobs = new ConcurrentHashMap<>();
  final Map<String, String> logs = new ConcurrentHashMap<>();
  /** When set, every create is refused with it (as the API server refusing the Job). */
  volatile KubernetesClientException refusal;

  @Override
  public Optional<PodTemplate> template(String namespace, String name) {
    return Optional.ofNullable(templates.get(namespace + "/" + name));
  }

  @Override
  public Job create(Job job) {
    if (refusal != null) {
      throw refusal;
    }
    String key = job.getMetadata().getNamespace() + "/" + job.getMetadata().getName();
    if (jobs.containsKey(key)) {
      throw new KubernetesClientException("jobs.batch \"" + job.getMetadata().getName() + "\" already exists", 409,
          null);
    }
    job.getMetadata().setCreationTimestamp(Instant.now().toString());
    jobs.put(key, job);
    return job;
  }

  @Override
  public Optional<Job> find(String namespace, String name) {
    return Optional.ofNullable(jobs.get(namespace + "/" + name));
  }

  @Override
  public Optional<String> logTail(String namespace, String job, int lines, int bytes) {
    return Optional.ofNullable(logs.get(namespace + "/" + job));
  }
}
