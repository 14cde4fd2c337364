package dev.hotfix.sandbox.api;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ApiPathsTest {

  @ParameterizedTest
  @CsvSource(nullValues = "-", value = {
      "/api/v1,                                              '', v1,       -,           -,    -,     -",
      "/apis/apps/v1,                                        apps, v1,     -,           -,    -,     -",
      "/api/v1/pods,                                         '', v1,       pods,        -,    -,     -",
      "/api/v1/namespaces,                                   '', v1,       namespaces,  -,    -,     -",
      "/api/v1/namespaces/shop,                              '', v1,       namespaces,  -,    shop,  -",
      "/api/v1/namespaces/shop/status,                       '', v1,       namespaces,  -,    shop,  status",
      "/api/v1/namespaces/shop/pods,                         '', v1,       pods,        shop, -,     -",
      "/api/v1/namespaces/shop/pods/web-1,                   '', v1,       pods,        shop, web-1, -",
      "/apis/apps/v1/namespaces/shop/deployments/web/scale,  apps, v1,     deployments, shop, web,   scale",
      "/apis/hotfix.dev/v1alpha1/namespaces/shop/hotfixes/x/status/, hotfix.dev, v1alpha1, hotfixes, shop, x, status",
      "/apis/apiextensions.k8s.io/v1/customresourcedefinitions/hotfixes.hotfix.dev, apiextensions.k8s.io, v1, "
          + "customresourcedefinitions, -, hotfixes.hotfix.dev, -"})
  void parsesAndWritesBack(String path, String group, String version, String plural, String namespace, String name,
      String subresource) {
    ResourceRef ref = ApiPaths.parse(path).orElseThrow();

    assertThat(ref).isEqualTo(new ResourceRef(group, version, plural, namespace, name, subresource));
    if (plural != null) {
      assertThat(ApiPaths.of(ref)).isEqualTo(path.replaceAll("/$", ""));
    }
  }

  @ParameterizedTest
  @CsvSource({"/", "/api", "/apis", "/apis/apps", "/version", "/api/v1/namespaces/shop/pods/web/status/extra"})
  void refusesWhatIsNotAResourcePath(String path) {
    assertThat(ApiPaths.parse(path)).isEmpty();
  }
}
