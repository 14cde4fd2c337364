package dev.hotfix.health.job;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodTemplate;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.informer.InformerEventSource;
import java.nio.charset.StandardCharsets;
import java.util.Comparator;
import java.util.Optional;

/** Job checks' Jobs through the API; the Jobs are watched by an informer (their changes wake the Hotfix). */
public final class ApiSmokeTestJobs implements SmokeTestJobs {
  /** The label the Job controller puts on a Job's pods (upstream, since Kubernetes 1.27). */
  static final String JOB_NAME_LABEL = "batch.kubernetes.io/job-name";

  private final KubernetesClient client;
  private final InformerEventSource<Job, ?> jobs;

  public ApiSmokeTestJobs(KubernetesClient client, InformerEventSource<Job, ?> jobs) {
    this.client = client;
    this.jobs = jobs;
  }

  @Override
  public Optional<PodTemplate> template(String namespace, String name) {
    return Optional.ofNullable(client.v1().podTemplates().inNamespace(namespace).withName(name).get());
  }

  @Override
  public Job create(Job job) {
    Job stored = client.batch().v1().jobs().inNamespace(job.getMetadata().getNamespace()).resource(job).create();
    jobs.handleRecentResourceCreate(ResourceID.fromResource(stored), stored);
    return stored;
  }

  @Override
  public Optional<Job> find(String namespace, String name) {
    Optional<Job> cached = jobs.get(new ResourceID(name, namespace));
    // a Job created in an earlier pass whose create the cache has not delivered yet
    if (cached.isPresent()) {
      return cached;
    }
    try {
      return Optional.ofNullable(client.batch().v1().jobs().inNamespace(namespace).withName(name).get());
    } catch (KubernetesClientException e) {
      return Optional.empty(); // not seen this time; the check's deadline bounds how long that may last
    }
  }

  @Override
  public Optional<String> logTail(String namespace, String job, int lines, int bytes) {
    try {
      Optional<Pod> newest = client.pods().inNamespace(namespace).withLabel(JOB_NAME_LABEL, job).list().getItems()
          .stream().max(Comparator.comparing(p -> p.getMetadata().getCreationTimestamp()));
      if (newest.isEmpty()) {
        return Optional.empty();
      }
      String log = client.pods().inNamespace(namespace).withName(newest.get().getMetadata().getName())
          .limitBytes(bytes).tailingLines(lines).getLog();
      byte[] raw = log == null ? new byte[0] : log.getBytes(StandardCharsets.UTF_8);
      return Optional.of(raw.length <= bytes ? log : new String(raw, raw.length - bytes, bytes, StandardCharsets.UTF_8));
    } catch (KubernetesClientException e) {
      return Optional.empty();
    }
  }
}
