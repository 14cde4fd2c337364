package dev.hotfix.health.job;

import io.fabric8.kubernetes.api.model.PodTemplate;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import java.util.Optional;

/** Where job checks' Jobs are created and read, and their templates and logs found. */
public interface SmokeTestJobs {

  /** A PodTemplate of the namespace by name, read from the API; empty when there is none. */
  Optional<PodTemplate> template(String namespace, String name);

  /**
   * Creates {@code job}.
   *
   * @return the Job as stored
   * @throws io.fabric8.kubernetes.client.KubernetesClientException as the API server refused it
   *     (409 when a Job of that name exists)
   */
  Job create(Job job);

  /** The Job as last observed (the informer cache, else the API), empty when it does not exist. */
  Optional<Job> find(String namespace, String name);

  /**
   * The last lines of the log of the Job's newest pod, at most {@code lines} and {@code bytes};
   * empty when it has no pod or the log cannot be read (the report says so, the check's outcome
   * does not depend on it).
   */
  Optional<String> logTail(String namespace, String job, int lines, int bytes);
}
