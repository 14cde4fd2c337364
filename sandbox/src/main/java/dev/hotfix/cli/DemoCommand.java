package dev.hotfix.cli;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import dev.hotfix.api.v1alpha1.CanarySpec;
import dev.hotfix.api.v1alpha1.CheckSpec;
import dev.hotfix.api.v1alpha1.ExposureStatus;
import dev.hotfix.api.v1alpha1.Hotfix;
import dev.hotfix.api.v1alpha1.HotfixSpec;
import dev.hotfix.api.v1alpha1.Phase;
import dev.hotfix.api.v1alpha1.PrometheusCheck;
import dev.hotfix.operator.HotfixOperator;
import dev.hotfix.operator.OperatorOptions;
import dev.hotfix.outbound.EndpointAllowList;
import dev.hotfix.sandbox.Informers;
import dev.hotfix.sandbox.SampleWorkloads;
import dev.hotfix.sandbox.Sandbox;
import dev.hotfix.sandbox.SandboxOptions;
import dev.hotfix.sandbox.prometheus.PrometheusServer;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.PrintStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code demo}: the sandbox and the operator in one process, then scripted hot fixes on a
 * sample Deployment: a good image that ends Succeeded, a crashing one that ends RolledBack by
 * its pod faults and, when the sandbox runs Prometheus, an {@code errors} image tried first on a
 * canary of one pod, which is healthy but whose 5xx ratio fails the error-rate check: the canary
 * is removed, the Deployment never changed, ending RolledBack. Prints a live timeline; exit 0
 * only if every hot fix shipped ends as expected (the canary's: no more new pods than the canary,
 * the old pods' readiness never reduced).
 */
@Command(name = "demo", mixinStandardHelpOptions = true,
    description = "Starts the sandbox and the operator in this process and ships hot fixes to a sample "
        + "Deployment: a good image (ends Succeeded), a crashing one (ends RolledBack by itself) and, when the "
        + "prometheus binary is installed, one with a high 5xx ratio tried on a canary of 1 pod first (ends RolledBack "
        + "by its error-rate check, the Deployment never changed). Prints a live timeline; exits 0 only if every hot fix ends as expected.")
final class DemoCommand implements Callable<Integer> {
  private static final String NAMESPACE = "default";
  private static final String DEPLOYMENT = "checkout";
  private static final String REPOSITORY = "registry.example.com/checkout";

  @Option(names = "--kubeconfig", paramLabel = "FILE",
      description = "Also write the sandbox's kubeconfig here, to watch with kubectl while the demo runs.")
  Path kubeconfig;

  @Option(names = "--verbose",
      description = "Also print the sandbox's and the operator's own log lines (stderr), under the timeline.")
  boolean verbose;

  @Option(names = "--bake", defaultValue = "PT10S", paramLabel = "DURATION",
      description = "Bake period of the good hot fix, ISO-8601 (default: ${DEFAULT-VALUE}).")
  Duration bake;

  private final PrintStream out = System.out;

  /** The demo's metric check: the share of 5xx answers of the sample Deployment, over 10 s. */
  private static final String ERROR_RATE = "sum(rate(http_requests_total{namespace=\"" + NAMESPACE
      + "\",deployment=\"" + DEPLOYMENT + "\",code=~\"5..\"}[10s])) / sum(rate(http_requests_total{namespace=\""
      + NAMESPACE + "\",deployment=\"" + DEPLOYMENT + "\"}[10s]))";

  /**
   * One scripted hot fix and what it must end as.
   *
   * @param canaryPods the canary's pods ({@code spec.rollout.canary.pods}), 0 for none
   */
  private record Act(String name, String image, Phase expected, String story, int canaryPods) {
  }

  @Override
  public Integer call() throws Exception {
    if (!verbose) {
      onlyWarningsInTheLog();
    }
    out.println("hotfix-operator demo: a controlled emergency on an embedded sandbox cluster");
    LiveTimeline timeline = new LiveTimeline(out);
    try (Sandbox sandbox = Sandbox.start(SandboxOptions.defaults());
        KubernetesClient client = sandbox.client()) {
      Path config = kubeconfig != null ? kubeconfig : Files.createTempDirectory("hotfix-demo").resolve("kubeconfig");
      sandbox.writeKubeconfig(config);
      out.println(sandbox.describe(config));
      Optional<URI> prometheus = sandbox.prometheusUrl();
      OperatorOptions options = OperatorOptions.defaults().withNamespaces(java.util.Set.of(NAMESPACE))
          .withPrometheusUrl(prometheus).withMeters(new PrometheusMeterRegistry(PrometheusConfig.DEFAULT))
          // the sandbox's Prometheus, Services and receivers listen on loopback
          .withAllowedEndpoints(EndpointAllowList.LOOPBACK)
          .withServiceAddresses(sandbox.serviceAddresses())
          // the demo's hot fixes come from its own script, which no webhook stamps
          .withUnverifiedRequestersTrusted(true);
      try (HotfixOperator operator = HotfixOperator.start(client, options, timeline);
          SharedIndexInformer<Deployment> d = client.apps().deployments().inNamespace(NAMESPACE)
              .withField("metadata.name", DEPLOYMENT).inform(Informers.onChange(timeline::deploymentChanged));
          SharedIndexInformer<Pod> p = client.pods().inNamespace(NAMESPACE).inform(Informers.onChange(timeline::podChanged))) {
        out.println();
        out.println("== Deployment " + DEPLOYMENT + ": 3 replicas of " + REPOSITORY + ":1.4.1 (maxUnavailable 0)");
        timeline.restart();
        client.apps().deployments().inNamespace(NAMESPACE).resource(sampleDeployment()).create();
        awaitAvailable(client);

        List<String> summary = new ArrayList<>();
        boolean allAsExpected = true;
        List<Act> acts = new ArrayList<>(List.of(
            new Act("checkout-fix-good", REPOSITORY + ":1.4.2-hotfix.1", Phase.Succeeded,
                "a good patch: rolls out with zero downtime, bakes " + bake.toSeconds() + "s"
                    + (prometheus.isPresent() ? " with its error-rate check passing" : "") + ", succeeds", 0),
            new Act("checkout-fix-crash", REPOSITORY + ":1.4.3-crashloop", Phase.RolledBack,
                "a bad patch: its pods crash; the operator rolls back by itself", 0)));
        if (prometheus.isPresent()) {
          acts.add(new Act("checkout-fix-errors", REPOSITORY + ":1.4.4-errors", Phase.RolledBack,
              "a subtly bad patch, tried first on a canary of 1 pod beside the 3 old ones (about 25% of requests): "
                  + "it is ready but answers half its requests with 5xx; the error-rate check (> 5%) fails the "
                  + "canary, which is removed, the Deployment never changed", 1));
        } else {
          out.println();
          out.println("== Skipping the third hot fix (rollback by a metric check): the sandbox has no Prometheus ("
              + PrometheusServer.NOT_FOUND + ")");
        }
        for (int i = 0; i < acts.size(); i++) {
          Act act = acts.get(i);
          out.println();
          out.printf("== [%d/%d] Hotfix %s -> %s%n   %s%n", i + 1, acts.size(), act.name(), act.image(), act.story());
          timeline.restart();
          // the Deployment as it is now: a canary act may bring it no event at all
          d.getStore().list().forEach(timeline::deploymentChanged);
          Instant start = Instant.now();
          client.resources(Hotfix.class).inNamespace(NAMESPACE).resource(hotfix(act, prometheus.isPresent())).create();
          Hotfix done = awaitTerminal(client, act.name());
          Phase phase = done.getStatus().phase;
          timeline.awaitPhase(phase, Duration.ofSeconds(5));
          Optional<String> exposure = act.canaryPods() > 0 ? Optional.of(canaryExposure(act, timeline, done))
              : Optional.empty();
          boolean ok = phase == act.expected() && exposure.map(e -> !e.startsWith(OVER_BOUND)).orElse(true);
          allAsExpected &= ok;
          summary.add(String.format("  %-20s %-11s %s  %s", act.name(), phase, ok ? "as expected" : "EXPECTED "
              + act.expected() + (exposure.isPresent() ? " within its canary" : ""), figures(timeline, done, start))
              + exposure.map(e -> System.lineSeparator() + "      " + e).orElse(""));
        }
        out.println();
        out.println("== Summary");
        summary.forEach(out::println);
        out.println(allAsExpected ? "All " + acts.size() + " hot fixes ended as expected."
            : "A hot fix did NOT end as expected.");
        return allAsExpected ? 0 : 1;
      }
    }
  }

  /**
   * For a rollback: time to detect (first faulty pod seen -> the Deployment seen back on the
   * previous template, i.e. the rollback patch; a metric check has no faulty pod to start from)
   * and time to restore (-> RolledBack, healthy).
   */
  private static String figures(LiveTimeline timeline, Hotfix done, Instant start) {
    String total = "total " + seconds(Duration.between(start, Instant.now()));
    if (done.getStatus().previous == null || done.getStatus().rollbackReason == null) {
      return total;
    }
    String previous = done.getStatus().previous.images.stream().map(i -> i.name + "=" + i.image)
        .reduce((a, b) -> a + ", " + b).orElse("");
    Optional<Instant> fault = timeline.firstFault();
    Optional<Instant> patched = timeline.templateSeen(previous);
    Optional<Instant> restored = timeline.phaseAt(Phase.RolledBack);
    StringBuilder sb = new StringBuilder(total);
    if (fault.isPresent() && patched.isPresent()) {
      sb.append(System.lineSeparator()).append("      first pod fault seen -> rollback patch on the Deployment: ")
          .append(Duration.between(fault.get(), patched.get()).toMillis()).append(" ms (time to detect and act)");
    }
    if (patched.isPresent() && restored.isPresent()) {
      sb.append(System.lineSeparator()).append("      rollback patch -> RolledBack (previous revision healthy): ")
          .append(seconds(Duration.between(patched.get(), restored.get()))).append(" (time to restore)");
    }
    return sb.append(System.lineSeparator()).append("      reason: ").append(done.getStatus().rollbackReason)
        .toString();
  }

  /** How a canary act's summary starts when more pods ran the new image than its canary, or the old pods dropped. */
  private static final String OVER_BOUND = "NOT CONTAINED: ";

  /**
   * What the canary exposed, from the Hotfix's {@code status.exposure} and the demo's own watch:
   * how many pods ran the new image, for how long, and whether the Deployment's old pods kept
   * serving (its ready replicas never below 3).
   */
  private static String canaryExposure(Act act, LiveTimeline timeline, Hotfix done) {
    ExposureStatus e = done.getStatus().exposure;
    int most = e == null || e.maxPodsOnNewRevision == null ? timeline.canaryPodsSeen() : e.maxPodsOnNewRevision;
    int fewestReady = timeline.fewestReady().orElse(0);
    if (most <= act.canaryPods() && timeline.canaryPodsSeen() <= act.canaryPods() && fewestReady >= 3) {
      return most + " pod ran the new image" + (e == null || e.longestExposureSeconds == null ? ""
          : ", for " + e.longestExposureSeconds + "s before the verdict,") + " and was rolled back; the 3 old pods "
          + "kept serving (ready replicas never below " + fewestReady + " of 3)";
    }
    return OVER_BOUND + most + " pod(s) ran the new image at once, " + timeline.canaryPodsSeen() + " canary pod(s) "
        + "in all (canary of " + act.canaryPods() + "); the Deployment's ready replicas fell to " + fewestReady
        + " of 3";
  }

  private static String seconds(Duration d) {
    return String.format("%.1fs", d.toMillis() / 1000.0);
  }

  /** The Hotfix of one act; with Prometheus, every act carries the error-rate check. */
  private Hotfix hotfix(Act act, boolean withChecks) {
    Hotfix h = SampleWorkloads.criticalHotfix(NAMESPACE, act.name(), DEPLOYMENT, act.image(), "demo: " + act.story());
    HotfixSpec spec = h.getSpec();
    spec.ticket = "DEMO-1";
    spec.rollout.progressDeadlineSeconds = 60;
    spec.rollout.podReadyTimeoutSeconds = 20;
    spec.verification.bakeSeconds = (int) bake.toSeconds();
    spec.verification.intervalSeconds = 2;
    if (act.canaryPods() > 0) {
      spec.rollout.canary = new CanarySpec();
      spec.rollout.canary.pods = new IntOrString(act.canaryPods());
      // long enough for the error-rate check to judge the canary's requests
      spec.rollout.canary.analysisSeconds = 30;
    }
    if (withChecks) {
      CheckSpec errorRate = new CheckSpec();
      errorRate.name = "error-rate";
      errorRate.prometheus = new PrometheusCheck();
      errorRate.prometheus.query = ERROR_RATE;
      errorRate.failWhen = "> 0.05";
      // right after a rollout starts the 10 s window may hold too few samples
      errorRate.noDataLimit = 10;
      spec.verification.checks = List.of(errorRate);
    }
    return h;
  }

  private static Deployment sampleDeployment() {
    return new DeploymentBuilder(SampleWorkloads.deployment(NAMESPACE, DEPLOYMENT, 3, REPOSITORY + ":1.4.1",
        new IntOrString(0))).editMetadata().addToLabels(SampleWorkloads.APP_LABEL, DEPLOYMENT).endMetadata().build();
  }

  private static void awaitAvailable(KubernetesClient client) {
    client.apps().deployments().inNamespace(NAMESPACE).withName(DEPLOYMENT).waitUntilCondition(d -> d != null
        && d.getStatus() != null && d.getStatus().getAvailableReplicas() != null
        && d.getStatus().getAvailableReplicas() == 3, 60, TimeUnit.SECONDS);
  }

  private static Hotfix awaitTerminal(KubernetesClient client, String name) {
    return client.resources(Hotfix.class).inNamespace(NAMESPACE).withName(name).waitUntilCondition(h -> h != null
        && h.getStatus() != null && h.getStatus().phase != null && h.getStatus().phase.isTerminal(), 5,
        TimeUnit.MINUTES);
  }


  /** The live timeline tells the story; the components' INFO lines would interleave with it. */
  private static void onlyWarningsInTheLog() {
    if (LoggerFactory.getILoggerFactory() instanceof LoggerContext context) {
      context.getLogger(Logger.ROOT_LOGGER_NAME).setLevel(Level.WARN);
      context.getLogger("io.javaoperatorsdk").setLevel(Level.WARN); // logback.xml names it at INFO
    }
  }
}
