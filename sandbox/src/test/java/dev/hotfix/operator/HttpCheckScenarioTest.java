package dev.hotfix.operator;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hotfix.api.v1alpha1.CheckSpec;
import dev.hotfix.api.v1alpha1.CheckStatus;
import dev.hotfix.api.v1alpha1.Hotfix;
import dev.hotfix.api.v1alpha1.HttpCheck;
import dev.hotfix.api.v1alpha1.Phase;
import dev.hotfix.api.v1alpha1.RollbackCause;
import dev.hotfix.sandbox.SampleWorkloads;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * HTTP checks on the sandbox: once the new revision is up, the operator GETs the target's own
 * Service (reached at the simulated app's listener through the sandbox's Service-address seam),
 * which answers as its ready pods would. Healthy pods answer 200 {@code {"status":"ok"}} and the
 * Hotfix succeeds; an {@code errors} image makes the Service answer 500 and the Hotfix rolls back
 * with the typed cause Check; a Service that does not select the target's pods is refused in
 * pre-flight with nothing changed. Seen failing when broken: with {@code HttpProbe} reading a
 * wrong status as a pass, the failing Hotfix succeeds.
 */
class HttpCheckScenarioTest {
  private static ScenarioBed bed;

  @BeforeAll
  static void start() {
    bed = ScenarioBed.quick();
  }

  @AfterAll
  static void stop() {
    if (bed != null) {
      bed.close();
    }
  }

  @Test
  void aHealthyServiceLetsTheHotfixSucceed() {
    String web = bed.deploymentReady(d -> { });
    service(web, Map.of(SampleWorkloads.APP_LABEL, web));

    Hotfix done = bed.runToEnd(withHttpCheck(bed.hotfix(web, "registry.example.com/web:1.1-hotfix.1", s -> { }), web));

    assertThat(done.getStatus().phase).as(done.getStatus().message).isEqualTo(Phase.Succeeded);
    CheckStatus api = api(done);
    assertThat(api.passed).isPositive();
    assertThat(api.failed).isZero();
    assertThat(api.lastValue).isEqualTo("200");
    assertThat(api.lastMessage).isEqualTo("GET http://" + web + "." + ScenarioBed.NS + ".svc:80/healthz: 200, "
        + "status = ok");
  }

  @Test
  void aServiceAnswering500RollsTheHotfixBack() {
    String web = bed.deploymentReady(d -> { });
    service(web, Map.of(SampleWorkloads.APP_LABEL, web));

    Hotfix done = bed.runToEnd(withHttpCheck(bed.hotfix(web, "registry.example.com/web:1.1-errors", s -> { }), web));

    assertThat(done.getStatus().phase).as(done.getStatus().message).isEqualTo(Phase.RolledBack);
    assertThat(done.getStatus().rollbackCause).isEqualTo(RollbackCause.Check);
    assertThat(done.getStatus().rollbackReason).isEqualTo("check: api: GET http://" + web + "." + ScenarioBed.NS
        + ".svc:80/healthz: 500 (expected 200) (failure 1 of limit 0)");
    assertThat(bed.image(web)).isEqualTo(ScenarioBed.GOOD);
  }

  @Test
  void aServiceThatIsNotTheTargetsIsRejectedWithNothingChanged() {
    String web = bed.deploymentReady(d -> { });
    service(web + "-other", Map.of(SampleWorkloads.APP_LABEL, "someone-else"));

    Hotfix done = bed.runToEnd(withHttpCheck(bed.hotfix(web, "registry.example.com/web:1.1-hotfix.2", s -> { }),
        web + "-other"));

    assertThat(done.getStatus().phase).isEqualTo(Phase.Rejected);
    assertThat(done.getStatus().message).isEqualTo("check api: Service " + web + "-other does not select the pods "
        + "of " + web + " (its selector {app=someone-else} is not among the pod template's labels {app=" + web
        + "}): name the target's own Service in spec.verification.checks[].http.service");
    bed.assertWrites(web, 0, 0, 0);
  }

  private static CheckStatus api(Hotfix done) {
    return done.getStatus().checks.stream().filter(c -> c.name.equals("api")).findFirst().orElseThrow();
  }

  private static Hotfix withHttpCheck(Hotfix h, String service) {
    CheckSpec check = new CheckSpec();
    check.name = "api";
    check.http = new HttpCheck();
    check.http.service = service;
    check.http.port = 80;
    check.http.path = "/healthz";
    check.http.jsonPath = "status";
    check.http.expectValue = "ok";
    h.getSpec().verification.bakeSeconds = 1;
    h.getSpec().verification.intervalSeconds = 1;
    h.getSpec().verification.checks = List.of(check);
    return h;
  }

  private static void service(String name, Map<String, String> selector) {
    Service s = new ServiceBuilder().withNewMetadata().withName(name).withNamespace(ScenarioBed.NS).endMetadata()
        .withNewSpec().withSelector(selector).addNewPort().withPort(80).withNewTargetPort(8080).endPort().endSpec()
        .build();
    bed.client.resource(s).create();
  }
}
