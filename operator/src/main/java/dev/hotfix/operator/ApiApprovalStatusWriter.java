package dev.hotfix.operator;

import dev.hotfix.api.v1alpha1.HotfixApproval;
import dev.hotfix.api.v1alpha1.HotfixApprovalStatus;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes a HotfixApproval's status through the API (who decided, verified or not, whether it
 * counted) with the resourceVersion it read. A failed write never holds the Hotfix up: a 409 or 404 means the
 * approval changed or went away, and its informer event brings the Hotfix back to be weighed
 * again. What was last written is remembered, so that a cache not yet showing our own write
 * does not lead to writing the same status again.
 */
final class ApiApprovalStatusWriter implements ApprovalStatusWriter {
  private static final Logger LOG = LoggerFactory.getLogger(ApiApprovalStatusWriter.class);
  /** Approvals remembered at most; forgetting only costs a redundant write that ends in 409. */
  private static final int MEMORY_LIMIT = 4096;

  private final KubernetesClient client;
  private final Map<String, String> lastWritten = new ConcurrentHashMap<>();

  ApiApprovalStatusWriter(KubernetesClient client) {
    this.client = client;
  }

  @Override
  public void write(HotfixApproval approval, HotfixApprovalStatus status) {
    String desired = Serialization.asJson(status);
    String uid = approval.getMetadata().getUid();
    if (Objects.equals(desired, approval.getStatus() == null ? null : Serialization.asJson(approval.getStatus()))
        || desired.equals(lastWritten.get(uid))) {
      return;
    }
    HotfixApproval copy = Serialization.clone(approval);
    copy.setStatus(status);
    try {
      client.resource(copy).updateStatus();
      if (lastWritten.size() > MEMORY_LIMIT) {
        lastWritten.clear();
      }
      lastWritten.put(uid, desired);
    } catch (KubernetesClientException e) {
      if (e.getCode() != 409 && e.getCode() != 404) {
        LOG.warn("could not write the status of HotfixApproval {}/{}: {}", approval.getMetadata().getNamespace(),
            approval.getMetadata().getName(), e.getMessage());
      }
    }
  }
}
