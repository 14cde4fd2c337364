package dev.hotfix.chart;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hotfix.chart.RenderedChart.Grant;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.rbac.ClusterRole;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBinding;
import io.fabric8.kubernetes.api.model.rbac.Role;
import io.fabric8.kubernetes.api.model.rbac.RoleBinding;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The rendered RBAC is least privilege: no wildcards, no Secret listing, no creating or deleting
 * Deployments, leases only in the release namespace; all namespaces get a ClusterRole, listed
 * namespaces get Roles and nothing cluster-wide for the operator.
 */
class ChartRbacTest {
  private static final String OPERATOR = RenderedChart.RELEASE;

  static Stream<Named<RenderedChart>> everyValuesCombination() {
    return Stream.of(
        Named.of("default values", RenderedChart.render()),
        Named.of("namespaced with Secrets by name", RenderedChart.render("values-namespaced.yaml")),
        Named.of("all namespaces with Secrets by name and the requester role", RenderedChart.render(List.of(),
            Map.of("rbac.secretNames[0]", "prom-auth", "rbac.requesterRole.create", true))));
  }

  @ParameterizedTest
  @MethodSource("everyValuesCombination")
  void noWildcards(RenderedChart chart) {
    assertThat(chart.grants()).isNotEmpty().allSatisfy(g -> {
      assertThat(g.rule().getVerbs()).as("%s", g).doesNotContain("*").isNotEmpty();
      assertThat(g.rule().getResources()).as("%s", g).noneMatch(r -> r.contains("*")).isNotEmpty();
      assertThat(g.rule().getApiGroups()).as("%s", g).doesNotContain("*");
      assertThat(g.rule().getResourceNames()).as("%s", g).doesNotContain("*");
      assertThat(g.rule().getNonResourceURLs()).as("%s", g).isNullOrEmpty();
    });
  }

  @ParameterizedTest
  @MethodSource("everyValuesCombination")
  void secretsOnlyReadByNameNeverListedOrWatched(RenderedChart chart) {
    assertThat(chart.grants()).filteredOn(g -> g.covers("", "secrets")).allSatisfy(g -> {
      assertThat(g.rule().getVerbs()).as("%s", g).containsExactly("get");
      assertThat(g.rule().getResourceNames()).as("%s", g).isNotEmpty();
    });
  }

  @ParameterizedTest
  @MethodSource("everyValuesCombination")
  void deploymentsArePatchedNeverCreatedOrDeleted(RenderedChart chart) {
    assertThat(chart.grants()).filteredOn(g -> g.covers("apps", "deployments")).isNotEmpty()
        .allSatisfy(g -> assertThat(g.rule().getVerbs()).as("%s", g).isSubsetOf("get", "list", "watch", "patch"));
  }

  @ParameterizedTest
  @MethodSource("everyValuesCombination")
  void leasesOnlyInARoleOfTheReleaseNamespace(RenderedChart chart) {
    List<Grant> leases = chart.grants().stream().filter(g -> g.covers("coordination.k8s.io", "leases")).toList();
    assertThat(leases).singleElement().satisfies(g -> {
      assertThat(g.role()).isInstanceOf(Role.class);
      assertThat(g.role().getMetadata().getNamespace()).isEqualTo(RenderedChart.NAMESPACE);
      assertThat(g.rule().getVerbs()).containsExactlyInAnyOrder("get", "create", "update", "patch");
    });
  }

  @Test
  void allNamespacesGetOneClusterRoleWithExactlyTheOperatorsVerbs() {
    RenderedChart chart = RenderedChart.render();
    ClusterRole role = chart.all(ClusterRole.class).stream().filter(r -> r.getMetadata().getName().equals(OPERATOR))
        .findFirst().orElseThrow();
    assertThat(chart.all(ClusterRoleBinding.class)).singleElement().satisfies(binding -> {
      assertThat(binding.getRoleRef().getName()).isEqualTo(OPERATOR);
      assertThat(binding.getSubjects()).singleElement().satisfies(s -> {
        assertThat(s.getKind()).isEqualTo("ServiceAccount");
        assertThat(s.getNamespace()).isEqualTo(RenderedChart.NAMESPACE);
      });
    });
    Map<String, Set<String>> verbs = verbsByResource(role);
    assertThat(verbs).containsExactlyInAnyOrderEntriesOf(Map.ofEntries(
        Map.entry("hotfix.dev/hotfixes", Set.of("get", "list", "watch", "patch")),
        Map.entry("hotfix.dev/hotfixes/status", Set.of("update")),
        Map.entry("hotfix.dev/hotfixpolicies", Set.of("get", "list", "watch")),
        Map.entry("hotfix.dev/hotfixpolicies/status", Set.of("patch")),
        Map.entry("hotfix.dev/hotfixapprovals", Set.of("list", "watch")),
        Map.entry("hotfix.dev/hotfixapprovals/status", Set.of("update")),
        Map.entry("apps/deployments", Set.of("get", "list", "watch", "patch")),
        Map.entry("apps/statefulsets", Set.of("get", "list", "watch", "patch")),
        Map.entry("apps/daemonsets", Set.of("get", "list", "watch", "patch")),
        Map.entry("apps/controllerrevisions", Set.of("get", "list", "watch")),
        Map.entry("apps/replicasets", Set.of("get", "list", "watch", "create", "patch", "delete")),
        Map.entry("/pods", Set.of("list", "watch", "delete")),
        Map.entry("/pods/log", Set.of("get")),
        Map.entry("/podtemplates", Set.of("get")),
        Map.entry("/services", Set.of("get")),
        Map.entry("batch/jobs", Set.of("get", "list", "watch", "create")),
        Map.entry("/resourcequotas", Set.of("list")),
        Map.entry("/events", Set.of("create")),
        Map.entry("/configmaps", Set.of("get", "create", "update")),
        Map.entry("apiextensions.k8s.io/customresourcedefinitions", Set.of("get")),
        Map.entry("authorization.k8s.io/subjectaccessreviews", Set.of("create"))));
    assertThat(chart.grants()).noneMatch(g -> g.covers("", "secrets"));
  }

  @Test
  void listedNamespacesGetRolesAndNoClusterRoleForTheOperator() {
    RenderedChart chart = RenderedChart.render("values-namespaced.yaml");
    assertThat(chart.all(ClusterRoleBinding.class)).extracting(b -> b.getRoleRef().getName())
        .as("cluster-wide only the access reviews").containsExactly(OPERATOR + "-access-reviews");
    assertThat(chart.all(ClusterRole.class)).extracting(r -> r.getMetadata().getName())
        .as("the people's roles, unbound, and the access reviews")
        .containsExactlyInAnyOrder("hotfix-approver", "hotfix-requester", OPERATOR + "-access-reviews");
    assertThat(chart.all(ClusterRole.class)).filteredOn(r -> r.getMetadata().getName().endsWith("-access-reviews"))
        .singleElement().satisfies(r -> assertThat(verbsByResource(r))
            .containsExactly(Map.entry("authorization.k8s.io/subjectaccessreviews", Set.of("create"))));
    List<Role> operatorRoles = chart.all(Role.class).stream().filter(r -> r.getMetadata().getName().equals(OPERATOR))
        .toList();
    assertThat(operatorRoles).extracting(r -> r.getMetadata().getNamespace()).containsExactlyInAnyOrder("shop", "payments");
    assertThat(operatorRoles).allSatisfy(r -> assertThat(verbsByResource(r)).containsEntry("apps/deployments",
        Set.of("get", "list", "watch", "patch")).containsEntry("/secrets", Set.of("get")));
    assertThat(chart.all(RoleBinding.class)).filteredOn(b -> b.getRoleRef().getName().equals(OPERATOR))
        .extracting(b -> b.getMetadata().getNamespace()).containsExactlyInAnyOrder("shop", "payments");
    assertThat(chart.grants()).filteredOn(g -> g.covers("", "secrets"))
        .allSatisfy(g -> assertThat(g.rule().getResourceNames()).containsExactly("prom-auth", "hotfix-slack"));
  }

  @Test
  void approversMayApproveAndReadHotfixesOnly() {
    ClusterRole approver = RenderedChart.render().all(ClusterRole.class).stream()
        .filter(r -> r.getMetadata().getName().equals("hotfix-approver")).findFirst().orElseThrow();
    assertThat(verbsByResource(approver)).containsExactlyInAnyOrderEntriesOf(Map.of(
        "hotfix.dev/hotfixapprovals", Set.of("create", "get", "list"),
        "hotfix.dev/hotfixes", Set.of("get", "list", "watch"),
        "/configmaps", Set.of("get")));
  }

  /** "group/resource" → verbs, over all rules of a role (a resource granted twice is a test failure). */
  private static Map<String, Set<String>> verbsByResource(HasMetadata role) {
    var rules = role instanceof ClusterRole c ? c.getRules() : ((Role) role).getRules();
    return rules.stream().flatMap(rule -> rule.getApiGroups().stream().flatMap(group -> rule.getResources().stream()
            .map(resource -> Map.entry(group + "/" + resource, Set.copyOf(rule.getVerbs())))))
        .collect(Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue));
  }
}
