package dev.hotfix.sandbox.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/** The API server counts the requests it answers by client (User-Agent) and status code. */
class RequestCountsTest {

  @Test
  void countsEachClientsRequestsAndConflictsApart() {
    try (ApiServer api = ApiServer.start(ApiServerOptions.defaults().withoutClasspathCrds());
        KubernetesClient bench = client(api, "bench-test/1");
        KubernetesClient other = api.client()) {
      var cm = new ConfigMapBuilder().withNewMetadata().withName("c").withNamespace("default").endMetadata()
          .addToData("k", "v").build();
      bench.resource(cm).create();
      bench.configMaps().inNamespace("default").withName("c").get();
      try {
        bench.resource(cm).create();
      } catch (KubernetesClientException expected) {
        assertThat(expected.getCode()).isEqualTo(409);
      }
      other.configMaps().inNamespace("default").list();

      assertThat(api.requests().total("bench-test")).isEqualTo(3);
      assertThat(api.requests().withCode("bench-test", 409)).isEqualTo(1);
      assertThat(api.requests().total("fabric8-kubernetes-client")).isEqualTo(1);
    }
  }

  @Test
  void theAuditSeesEachWriteOnArrivalAndAgainWithItsAnswer() {
    try (ApiServer api = ApiServer.start(ApiServerOptions.defaults().withoutClasspathCrds());
        KubernetesClient bench = client(api, "audit-test/1")) {
      List<AuditedRequest> arrived = new CopyOnWriteArrayList<>();
      List<AuditedRequest> answered = new CopyOnWriteArrayList<>();
      api.requests().auditArrivals(arrived::add);
      api.requests().audit(answered::add);
      var cm = new ConfigMapBuilder().withNewMetadata().withName("c").withNamespace("default").endMetadata()
          .addToData("k", "v").build();
      bench.resource(cm).create();

      assertThat(arrived).filteredOn(r -> r.userAgent().equals("audit-test/1")).singleElement().satisfies(r -> {
        assertThat(r.method()).isEqualTo("POST");
        assertThat(r.code()).isEqualTo(AuditedRequest.RECEIVED);
        assertThat(r.body()).contains("\"k\":\"v\"");
      });
      assertThat(answered).filteredOn(r -> r.userAgent().equals("audit-test/1")).singleElement().satisfies(r -> {
        assertThat(r.path()).isEqualTo("/api/v1/namespaces/default/configmaps");
        assertThat(r.code()).isEqualTo(201);
        assertThat(r.isWrite()).isTrue();
      });
    }
  }

  private static KubernetesClient client(ApiServer api, String userAgent) {
    Config config = new ConfigBuilder(Config.empty()).withMasterUrl(api.url().toString()).withNamespace("default")
        .withUserAgent(userAgent).build();
    return new KubernetesClientBuilder().withConfig(config).build();
  }
}
