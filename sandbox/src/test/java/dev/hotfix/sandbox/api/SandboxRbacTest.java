package dev.hotfix.sandbox.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.hotfix.testing.Kubectl;
import dev.hotfix.testing.Kubectl.Result;
import io.fabric8.kubernetes.api.model.authorization.v1.SubjectAccessReview;
import io.fabric8.kubernetes.api.model.authorization.v1.SubjectAccessReviewBuilder;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * RBAC on the sandbox through the real kubectl ({@code --as}, {@code auth can-i}, manifests
 * applied) and fabric8 (a ServiceAccount's token, SubjectAccessReviews): refusals as upstream
 * words them, bindings that count from the next request, aggregation, impersonation only for
 * those who may.
 */
class SandboxRbacTest {
  @TempDir
  static Path dir;
  private static ApiServer api;
  private static KubernetesClient admin;
  private static Kubectl kubectl;

  @BeforeAll
  static void start() {
    api = ApiServer.start(ApiServerOptions.defaults());
    admin = api.client();
    kubectl = new Kubectl(api.writeKubeconfig(dir.resolve("kubeconfig")));
  }

  @AfterAll
  static void stop() {
    admin.close();
    api.close();
  }

  @Test
  void aUserWithoutBindingsIsRefusedWithUpstreamsMessageUntilABindingIsApplied() {
    kubectl.run("create", "namespace", "shop").assertOk();
    Result refused = kubectl.run("get", "configmaps", "-n", "shop", "--as", "dana");
    assertThat(refused.exitCode()).isNotZero();
    assertThat(refused.stderr()).contains("Error from server (Forbidden): configmaps is forbidden: User \"dana\" "
        + "cannot list resource \"configmaps\" in API group \"\" in the namespace \"shop\"");
    assertThat(canI("list", "configmaps", "-n", "shop", "--as", "dana")).isEqualTo("no");

    applyRoleBinding("shop", "view", "User", "dana");

    assertThat(canI("list", "configmaps", "-n", "shop", "--as", "dana")).isEqualTo("yes");
    assertThat(canI("get", "deployments/status", "-n", "shop", "--as", "dana")).isEqualTo("yes");
    assertThat(canI("patch", "deployments", "-n", "shop", "--as", "dana")).as("view reads only").isEqualTo("no");
    assertThat(canI("list", "configmaps", "-n", "default", "--as", "dana")).as("bound in shop only").isEqualTo("no");
    kubectl.run("get", "configmaps", "-n", "shop", "--as", "dana").assertOk();
  }

  @Test
  void aClusterRoleLabelledForAggregationExtendsEditForEveryoneBoundToIt() {
    kubectl.runWithInput("""
        apiVersion: rbac.authorization.k8s.io/v1
        kind: ClusterRole
        metadata:
          name: hotfixes-edit
          labels: {rbac.authorization.k8s.io/aggregate-to-edit: "true"}
        rules: [{apiGroups: [hotfix.dev], resources: [hotfixes], verbs: [create, patch]}]
        ---
        apiVersion: rbac.authorization.k8s.io/v1
        kind: RoleBinding
        metadata: {name: erin-edit, namespace: default}
        roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: edit}
        subjects: [{apiGroup: rbac.authorization.k8s.io, kind: User, name: erin}]
        """, "apply", "-f", "-").assertOk();

    assertThat(canI("create", "hotfixes.hotfix.dev", "--as", "erin")).isEqualTo("yes");
    assertThat(canI("delete", "hotfixes.hotfix.dev", "--as", "erin")).isEqualTo("no");
    assertThat(canI("patch", "deployments", "--as", "erin")).as("edit's own rules").isEqualTo("yes");
    assertThat(canI("get", "pods", "--as", "erin")).as("view's rules, aggregated into edit").isEqualTo("yes");
    assertThat(canI("create", "rolebindings", "--as", "erin")).as("admin's, not edit's").isEqualTo("no");
  }

  @Test
  void aServiceAccountMayImpersonateOnlyWhomItsRolesName() throws Exception {
    KubernetesClient account = api.client(api.serviceAccountToken("ops", "deployer"));
    KubernetesClient asFrank = new KubernetesClientBuilder().withConfig(new ConfigBuilder(account.getConfiguration())
        .withImpersonateUsername("frank").build()).build();
    try (account; asFrank) {
      assertThatThrownBy(() -> asFrank.configMaps().inNamespace("default").list())
          .isInstanceOfSatisfying(KubernetesClientException.class, e -> {
            assertThat(e.getCode()).isEqualTo(403);
            assertThat(e.getStatus().getMessage()).isEqualTo("users \"frank\" is forbidden: User "
                + "\"system:serviceaccount:ops:deployer\" cannot impersonate resource \"users\" in API group \"\" "
                + "at the cluster scope");
          });
      kubectl.runWithInput("""
          apiVersion: rbac.authorization.k8s.io/v1
          kind: ClusterRole
          metadata: {name: impersonate-frank}
          rules: [{apiGroups: [""], resources: [users], resourceNames: [frank], verbs: [impersonate]}]
          ---
          apiVersion: rbac.authorization.k8s.io/v1
          kind: ClusterRoleBinding
          metadata: {name: deployer-impersonates-frank}
          roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: impersonate-frank}
          subjects: [{kind: ServiceAccount, name: deployer, namespace: ops}]
          ---
          apiVersion: rbac.authorization.k8s.io/v1
          kind: ClusterRoleBinding
          metadata: {name: frank-views}
          roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: view}
          subjects: [{apiGroup: rbac.authorization.k8s.io, kind: User, name: frank}]
          """, "apply", "-f", "-").assertOk();

      assertThat(asFrank.configMaps().inNamespace("default").list().getItems()).isNotNull();
      assertThat(kubectl.run("auth", "whoami", "--as", "frank").assertOk().stdout()).containsPattern("Username\\s+frank");
    }
  }

  @Test
  void subjectAccessReviewsAnswerForTheUserAndGroupsInTheirSpec() {
    applyRoleBinding("default", "edit", "Group", "sre");

    SubjectAccessReview inGroup = admin.authorization().v1().subjectAccessReview().create(review("gina", "sre"));
    SubjectAccessReview alone = admin.authorization().v1().subjectAccessReview().create(review("gina", null));

    assertThat(inGroup.getStatus().getAllowed()).isTrue();
    assertThat(inGroup.getStatus().getReason())
        .isEqualTo("RBAC: allowed by RoleBinding \"sre-edit/default\" of ClusterRole \"edit\" to Group \"sre\"");
    assertThat(alone.getStatus().getAllowed()).isFalse();
    assertThatThrownBy(() -> admin.authorization().v1().subjectAccessReview().create(review(null, null)))
        .isInstanceOfSatisfying(KubernetesClientException.class, e -> {
          assertThat(e.getCode()).isEqualTo(422);
          assertThat(e.getMessage()).contains("at least one of user or group must be specified");
        });
  }

  private static SubjectAccessReview review(String user, String group) {
    SubjectAccessReviewBuilder review = new SubjectAccessReviewBuilder().withNewSpec().withUser(user)
        .withNewResourceAttributes().withVerb("patch").withGroup("apps").withResource("deployments")
        .withNamespace("default").withName("checkout").endResourceAttributes().endSpec();
    if (group != null) {
      review.editSpec().withGroups(group).endSpec();
    }
    return review.build();
  }

  /** {@code kubectl apply} of RoleBinding {@code SUBJECT-CLUSTERROLE} in {@code namespace}. */
  private static void applyRoleBinding(String namespace, String clusterRole, String subjectKind, String subject) {
    kubectl.runWithInput("""
        apiVersion: rbac.authorization.k8s.io/v1
        kind: RoleBinding
        metadata: {name: %1$s-%2$s, namespace: %3$s}
        roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: %2$s}
        subjects: [{apiGroup: rbac.authorization.k8s.io, kind: %4$s, name: %1$s}]
        """.formatted(subject, clusterRole, namespace, subjectKind), "apply", "-f", "-").assertOk();
  }

  private static String canI(String... args) {
    String[] command = new String[args.length + 2];
    command[0] = "auth";
    command[1] = "can-i";
    System.arraycopy(args, 0, command, 2, args.length);
    return kubectl.run(command).stdout().trim();
  }
}
