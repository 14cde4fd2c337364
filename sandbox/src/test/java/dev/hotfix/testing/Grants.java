package dev.hotfix.testing;

import dev.hotfix.chart.RenderedChart;
import io.fabric8.kubernetes.api.model.rbac.ClusterRole;
import io.fabric8.kubernetes.api.model.rbac.RoleBinding;
import io.fabric8.kubernetes.api.model.rbac.RoleBindingBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.util.List;
import java.util.Set;

/**
 * Rights for the people of a test, given as on a real cluster: the chart's people ClusterRoles
 * ({@code hotfix-requester}, {@code hotfix-approver}, rendered from the chart) or a bootstrap role
 * ({@code edit}, {@code view}), bound per namespace with an ordinary RoleBinding.
 */
public final class Grants {
  /** The chart's ClusterRole for people who create Hotfixes. */
  public static final String REQUESTER = "hotfix-requester";
  /** The chart's ClusterRole for people who approve Hotfixes. */
  public static final String APPROVER = "hotfix-approver";

  private Grants() {
  }

  /** Creates the chart's people ClusterRoles, as {@code helm install} renders them. */
  public static void installPeopleRoles(KubernetesClient admin) {
    List<ClusterRole> roles = RenderedChart.render(List.of(), java.util.Map.of("rbac.requesterRole.create", true))
        .all(ClusterRole.class).stream().filter(r -> Set.of(REQUESTER, APPROVER).contains(r.getMetadata().getName()))
        .toList();
    roles.forEach(r -> admin.resource(r).createOr(existing -> existing.update()));
  }

  /**
   * A ClusterRole {@code hotfix-writer}: every verb on every hotfix.dev resource and status, as a
   * namespace's administrator holds it (the one who may delete Hotfixes). For tests of what the
   * webhook and the API server refuse to people RBAC would let write.
   */
  public static final String HOTFIX_WRITER = "hotfix-writer";

  /** A ClusterRole {@code hotfix-policy-author}: writes the HotfixPolicy of a namespace, nothing else. */
  public static final String POLICY_AUTHOR = "hotfix-policy-author";

  /** Creates {@link #HOTFIX_WRITER}. */
  public static void installHotfixWriter(KubernetesClient admin) {
    install(admin, HOTFIX_WRITER, "*", "*/status");
  }

  /** Creates {@link #POLICY_AUTHOR}. */
  public static void installPolicyAuthor(KubernetesClient admin) {
    install(admin, POLICY_AUTHOR, "hotfixpolicies");
  }

  /** A ClusterRole granting every verb on {@code resources} of hotfix.dev. */
  private static void install(KubernetesClient admin, String name, String... resources) {
    admin.resource(new io.fabric8.kubernetes.api.model.rbac.ClusterRoleBuilder().withNewMetadata()
        .withName(name).endMetadata()
        .addNewRule().withApiGroups("hotfix.dev").withResources(resources).withVerbs("*").endRule().build())
        .createOr(existing -> existing.update());
  }

  /** Binds ClusterRole {@code clusterRole} to {@code user} in {@code namespace}. */
  public static void bind(KubernetesClient admin, String namespace, String clusterRole, String user) {
    RoleBinding binding = new RoleBindingBuilder().withNewMetadata().withName(clusterRole + "-" + user)
        .withNamespace(namespace).endMetadata()
        .withNewRoleRef().withApiGroup("rbac.authorization.k8s.io").withKind("ClusterRole").withName(clusterRole)
        .endRoleRef()
        .addNewSubject().withApiGroup("rbac.authorization.k8s.io").withKind("User").withName(user).endSubject()
        .build();
    admin.resource(binding).createOr(existing -> existing.update());
  }
}
