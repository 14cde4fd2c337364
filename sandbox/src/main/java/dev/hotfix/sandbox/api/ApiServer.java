package dev.hotfix.sandbox.api;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.hotfix.json.KubernetesJson;
import dev.hotfix.sandbox.api.admission.SandboxAdmission;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The sandbox's Kubernetes API server on 127.0.0.1: fabric8's CRUD mock as the store and watch
 * engine, behind a front that makes kubectl's everyday verbs and fabric8 clients work unchanged
 * (discovery, OpenAPI v3, tables, patches, admission, status and scale subresources, cascading
 * deletion, watches over WebSocket and chunked HTTP), who is asking (impersonation included) and
 * admission webhooks.
 *
 * <pre>{@code
 * try (ApiServer api = ApiServer.start(ApiServerOptions.defaults());
 *      KubernetesClient client = api.client()) {
 *   api.writeKubeconfig(Path.of("target/sandbox.kubeconfig")); // for kubectl --kubeconfig
 *   client.apps().deployments().resource(deployment).create();
 * }
 * }</pre>
 */
public final class ApiServer implements AutoCloseable {
  private static final long STARTUP_SECONDS = 30;

  private final Vertx vertx;
  private final HttpServer server;
  private final ResourceRegistry registry;
  private final MutationPipeline pipeline;
  private final Users users;
  private final RequestCounts requests;
  private final URI url;
  private final FaultInjector faults;
  private final ApiFront front;

  private ApiServer(Vertx vertx, HttpServer server, ResourceRegistry registry, MutationPipeline pipeline,
      Users users, FaultInjector faults, RequestCounts requests, ApiFront front) {
    this.front = front;
    this.faults = faults;
    this.vertx = vertx;
    this.server = server;
    this.registry = registry;
    this.pipeline = pipeline;
    this.users = users;
    this.requests = requests;
    this.url = URI.create("http://127.0.0.1:" + server.actualPort());
  }

  /**
   * Starts the server, then creates the {@code default} Namespace and (unless the options say
   * otherwise) the CRDs the build generated.
   */
  public static ApiServer start(ApiServerOptions options) {
    CrudStore store = new CrudStore(options.watch().cacheWindow());
    ResourceRegistry registry = new ResourceRegistry(store);
    MutationPipeline pipeline = new MutationPipeline(store, new SandboxAdmission(registry::crdFor), registry);
    FaultInjector faults = new FaultInjector();
    Authorizer authorizer = new Authorizer(store);
    ApiFront front = new ApiFront(store, registry, pipeline, faults, authorizer, options.watch());
    Users users = new Users(authorizer);
    RequestCounts requests = new RequestCounts();
    Vertx vertx = Vertx.vertx();
    HttpServer server;
    try {
      // HTTP/1.1 only, as kube-apiserver on plain HTTP: Vert.x would accept the JDK client's h2c
      // upgrade, and on h2c a list's body once stalled for minutes (an informer never synced)
      server = vertx.createHttpServer(new HttpServerOptions().setHost("127.0.0.1").setPort(options.port())
              .setHttp2ClearTextEnabled(false))
          .requestHandler(new HttpFront(vertx, front, users, requests))
          .listen().toCompletionStage().toCompletableFuture().get(STARTUP_SECONDS, TimeUnit.SECONDS);
    } catch (ExecutionException | TimeoutException e) {
      front.stopTimers();
      vertx.close();
      pipeline.close();
      throw new IllegalStateException("the sandbox API server could not listen on 127.0.0.1:" + options.port(), e);
    } catch (InterruptedException e) {
      front.stopTimers();
      vertx.close();
      pipeline.close();
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while starting the sandbox API server", e);
    }
    ApiServer api = new ApiServer(vertx, server, registry, pipeline, users, faults, requests, front);
    api.createNamespace("default");
    api.createBootstrapPolicy();
    if (options.classpathCrds()) {
      api.installCrds(ClasspathCrds.load());
    }
    return api;
  }

  /** The faults this server injects on request (none unless told). */
  public FaultInjector faults() {
    return faults;
  }

  /** Serves {@code pods/log} from {@code source}, as a real API server asks each pod's kubelet. */
  public void serveLogs(PodLogSource source) {
    front.serveLogs(source);
  }

  /** {@code http://127.0.0.1:PORT}. */
  public URI url() {
    return url;
  }

  /**
   * A new fabric8 client for this server (namespace {@code default}), acting as
   * {@link UserInfo#SANDBOX_ADMIN} as kubectl does with the written kubeconfig; the caller closes it.
   */
  public KubernetesClient client() {
    return new KubernetesClientBuilder().withConfig(clientConfig().build()).build();
  }

  /**
   * A new client for the simulated cluster's controllers: it acts as
   * {@link UserInfo#CONTROLLERS}, whose writes admission webhooks never see. The caller closes it.
   */
  public KubernetesClient controllersClient() {
    return new KubernetesClientBuilder().withConfig(clientConfig().withOauthToken(users.controllersToken()).build())
        .build();
  }

  private ConfigBuilder clientConfig() {
    return new ConfigBuilder(Config.empty()).withMasterUrl(url.toString()).withNamespace("default")
        .withTrustCerts(true);
  }

  /** The requests answered so far, by client and status code. */
  public RequestCounts requests() {
    return requests;
  }

  /** Every distinct access each user asked for, and whether RBAC allowed it. */
  public AccessLog accessLog() {
    return front.accessLog();
  }

  /**
   * How many watches asked for a resourceVersion older than the watch cache window and were
   * answered 410 "too old resource version" (each one a client that had to list again).
   */
  public long expiredWatches() {
    return front.expiredWatches();
  }

  /** Creates (or replaces) CRDs in the store; they are served at once. */
  public void installCrds(List<CustomResourceDefinition> crds) {
    ResourceType crdType = registry.find("apiextensions.k8s.io", "v1", "customresourcedefinitions").orElseThrow();
    ResourceRef collection = new ResourceRef(crdType.group(), crdType.version(), crdType.plural(), null, null, null);
    WriteOptions options = WriteOptions.internal();
    for (CustomResourceDefinition crd : crds) {
      ObjectNode body = CrudStore.JSON.valueToTree(crd);
      ResourceRef ref = new ResourceRef(crdType.group(), crdType.version(), crdType.plural(), null,
          crd.getMetadata().getName(), null);
      body.withObjectProperty("metadata").remove("resourceVersion");
      try {
        try {
          pipeline.create(crdType, collection, body, options, UserInfo.API_SERVER);
        } catch (ApiError exists) {
          if (exists.code() != 409) {
            throw exists;
          }
          pipeline.update(crdType, ref, body, options, UserInfo.API_SERVER);
        }
      } catch (ApiError refused) {
        throw new IllegalArgumentException("CRD " + crd.getMetadata().getName() + " refused: "
            + refused.getMessage(), refused);
      }
    }
  }

  /** Creates (or replaces) the CRDs of a YAML stream (one document or several). */
  public void installCrdYaml(InputStream yaml) {
    Object parsed = KubernetesJson.SERIALIZATION.unmarshal(yaml);
    List<?> documents = parsed instanceof List<?> list ? list : List.of(parsed);
    installCrds(documents.stream().map(d -> KubernetesJson.SERIALIZATION.convertValue(d, CustomResourceDefinition.class))
        .toList());
  }

  /** Writes a kubeconfig whose cluster, context and user are named {@code hotfix-sandbox} (namespace default). */
  public Path writeKubeconfig(Path file) {
    return Kubeconfig.write(file, url, null);
  }

  /** Stops listening, closes every open watch and stops the garbage collector. */
  @Override
  public void close() {
    front.stopTimers();
    faults.close();
    pipeline.close();
    try {
      // one after the other: a continuation of the server's close would run on an event loop
      // that vertx.close() is shutting down, and never complete
      server.close().toCompletionStage().toCompletableFuture().get(STARTUP_SECONDS, TimeUnit.SECONDS);
      vertx.close().toCompletionStage().toCompletableFuture().get(STARTUP_SECONDS, TimeUnit.SECONDS);
    } catch (ExecutionException | TimeoutException e) {
      throw new IllegalStateException("the sandbox API server did not stop cleanly", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** Upstream's bootstrap ClusterRoles and ClusterRoleBindings ({@code bootstrap-rbac.yaml}). */
  private void createBootstrapPolicy() {
    String yaml;
    try (InputStream in = ApiServer.class.getResourceAsStream("bootstrap-rbac.yaml")) {
      yaml = new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException("the sandbox's bootstrap RBAC policy is unreadable", e);
    }
    WriteOptions options = WriteOptions.internal();
    for (String document : yaml.split("(?m)^---\\s*$")) {
      ObjectNode object = CrudStore.JSON.valueToTree(KubernetesJson.SERIALIZATION.unmarshal(document,
          GenericKubernetesResource.class));
      String plural = object.path("kind").asText().toLowerCase(Locale.ROOT) + "s";
      ResourceType type = registry.find("rbac.authorization.k8s.io", "v1", plural).orElseThrow();
      pipeline.create(type, new ResourceRef(type.group(), type.version(), plural, null, null, null), object, options,
          UserInfo.API_SERVER);
    }
  }

  /**
   * A bearer token that authenticates as ServiceAccount {@code namespace/name}
   * ({@code system:serviceaccount:NS:NAME}, groups {@code system:serviceaccounts},
   * {@code system:serviceaccounts:NS}, {@code system:authenticated}), as a token from the
   * TokenRequest API would.
   */
  public String serviceAccountToken(String namespace, String name) {
    return users.issueServiceAccountToken(namespace, name);
  }

  /** A new client that authenticates with {@code token} (see {@link #serviceAccountToken}); the caller closes it. */
  public KubernetesClient client(String token) {
    return new KubernetesClientBuilder().withConfig(clientConfig().withOauthToken(token).build()).build();
  }

  /** Writes a kubeconfig like {@link #writeKubeconfig(Path)} whose user authenticates with {@code token}. */
  public Path writeKubeconfig(Path file, String token) {
    return Kubeconfig.write(file, url, token);
  }

  private void createNamespace(String name) {
    ResourceType namespaces = registry.find("", "v1", "namespaces").orElseThrow();
    ObjectNode namespace = CrudStore.JSON.createObjectNode().put("apiVersion", "v1").put("kind", "Namespace");
    namespace.putObject("metadata").put("name", name);
    pipeline.create(namespaces, new ResourceRef("", "v1", "namespaces", null, null, null), namespace,
        WriteOptions.internal(), UserInfo.API_SERVER);
  }
}
