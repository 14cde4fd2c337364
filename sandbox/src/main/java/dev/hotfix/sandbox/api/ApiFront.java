package dev.hotfix.sandbox.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.mockwebserver.dsl.HttpMethod;
import io.fabric8.mockwebserver.http.MockResponse;
import io.fabric8.mockwebserver.http.RecordedRequest;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.StringJoiner;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Predicate;
import java.util.function.UnaryOperator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The API server's request routing, independent of HTTP: health and discovery documents,
 * OpenAPI, then resource requests parsed into a {@link ResourceRef}, checked against the
 * {@link ResourceRegistry} and sent to reads (the store, as objects or Tables), the
 * {@link MutationPipeline} (writes) or the store's watch engine.
 */
public final class ApiFront {
  private static final Logger LOG = LoggerFactory.getLogger(ApiFront.class);
  /** The query parameters the store understands; the rest (limit, timeoutSeconds...) are the front's. */
  private static final List<String> STORE_QUERY = List.of("labelSelector", "fieldSelector", "watch");

  private final CrudStore store;
  private final ResourceRegistry registry;
  private final MutationPipeline pipeline;
  private final Discovery discovery;
  private final OpenApiDocuments openApi;
  private final FaultInjector faults;
  private final Authorizer authorizer;
  private final AccessLog accessLog = new AccessLog();
  private final WatchTimers timers;
  private final AtomicLong expiredWatches = new AtomicLong();
  private volatile PodLogSource logs;

  public ApiFront(CrudStore store, ResourceRegistry registry, MutationPipeline pipeline, FaultInjector faults,
      Authorizer authorizer, WatchSettings watch) {
    this.store = store;
    this.timers = new WatchTimers(watch);
    this.authorizer = authorizer;
    this.registry = registry;
    this.pipeline = pipeline;
    this.faults = faults;
    this.discovery = new Discovery(registry);
    this.openApi = new OpenApiDocuments(registry);
  }

  /** Serves {@code pods/log} from {@code source} (without one, logs are refused: no kubelet runs). */
  public void serveLogs(PodLogSource source) {
    this.logs = source;
  }

  /** Answers one request; failures become {@code Status} answers, never exceptions. */
  public ApiResponse handle(ApiRequest request) {
    try {
      authorize(request);
      Optional<ApiResponse> injected = faults.intercept(request);
      return injected.isPresent() ? injected.get() : faults.answer(request, route(request));
    } catch (ApiError e) {
      return ApiResponse.error(e);
    } catch (RuntimeException e) {
      LOG.warn("{} {} failed", request.method(), request.path(), e);
      return ApiResponse.error(ApiError.internal(String.valueOf(e.getMessage())));
    }
  }

  /** How many watches were answered "too old resource version" (the client had to list again). */
  long expiredWatches() {
    return expiredWatches.get();
  }

  /** Stops the watches' bookmarks and timeouts. */
  void stopTimers() {
    timers.close();
  }

  /** Every distinct access each user asked for, and whether it was allowed. */
  public AccessLog accessLog() {
    return accessLog;
  }

  /** As upstream's authorization filter, before anything else: a request nothing allows gets 403. */
  private void authorize(ApiRequest request) {
    ResourceRef ref = ApiPaths.parse(normalized(request.path())).filter(r -> r.plural() != null).orElse(null);
    AuthorizationAttributes attributes = AuthorizationAttributes.of(request, ref);
    boolean allowed = authorizer.authorize(attributes).allowed();
    accessLog.record(attributes, allowed);
    if (!allowed) {
      throw attributes.forbidden();
    }
  }

  private static String normalized(String path) {
    return path.length() > 1 ? path.replaceAll("/+$", "") : path;
  }

  private ApiResponse route(ApiRequest request) {
    String path = normalized(request.path());
    switch (path) {
      case "/healthz", "/readyz", "/livez":
        return ApiResponse.text(200, "ok");
      case "/version":
        return ApiResponse.json(200, discovery.version());
      case "/api":
        return ApiResponse.json(200, discovery.coreVersions());
      case "/apis":
        return ApiResponse.json(200, discovery.groups());
      case "/openapi/v3":
        return ApiResponse.json(200, openApi.index());
      default:
        break;
    }
    if (path.matches("/apis/[^/]+")) {
      return ApiResponse.json(200, discovery.group(path.substring("/apis/".length()))
          .orElseThrow(ApiError::noSuchPath));
    }
    if (path.startsWith("/openapi/v3/")) {
      return ApiResponse.json(200, openApi.document(path).orElseThrow(ApiError::noSuchPath));
    }
    ResourceRef ref = ApiPaths.parse(path).orElseThrow(ApiError::noSuchPath);
    if (ref.plural() == null) {
      return ApiResponse.json(200, discovery.resources(ref.group(), ref.version()).orElseThrow(ApiError::noSuchPath));
    }
    ResourceType type = registry.find(ref.group(), ref.version(), ref.plural()).orElseThrow(ApiError::noSuchPath);
    checkAddressable(type, ref);
    WriteOptions options = WriteOptions.from(request.query());
    if ("log".equals(ref.subresource())) {
      if (!"GET".equalsIgnoreCase(request.method())) {
        throw ApiError.methodNotAllowed(request.method());
      }
      return podLog(type, ref, request);
    }
    switch (request.method().toUpperCase(Locale.ROOT)) {
      case "GET":
        return read(type, ref, request);
      case "POST":
        if (ref.name() != null) {
          throw ApiError.methodNotAllowed("POST");
        }
        ObjectNode body = RequestBodies.object(request.body());
        return type.isStored() ? pipeline.create(type, ref, body, options, request.user())
            : ApiResponse.json(201, AccessReviews.answer(type, ref, body, request.user(), authorizer.policy()));
      case "PUT":
        requireName(ref, "PUT");
        return "scale".equals(ref.subresource())
            ? pipeline.updateScale(type, ref, RequestBodies.object(request.body()), options, request.user())
            : pipeline.update(type, ref, RequestBodies.object(request.body()), options, request.user());
      case "PATCH":
        requireName(ref, "PATCH");
        return pipeline.patch(type, ref, request.contentType(), request.body(), options, request.user());
      case "DELETE":
        if (ref.subresource() != null) {
          throw ApiError.methodNotAllowed("DELETE");
        }
        WriteOptions deleteOptions = withDeleteBody(options, request.body());
        return ref.name() == null
            ? pipeline.deleteCollection(type, ref, storeQuery(request), fieldSelector(request)::matches,
                deleteOptions, request.user())
            : pipeline.delete(type, ref, deleteOptions, request.user());
      default:
        throw ApiError.methodNotAllowed(request.method());
    }
  }

  /**
   * A container's log, as {@code kubectl logs} asks for it: {@code container}, then
   * {@code tailLines} (the last lines) and {@code limitBytes} (the first bytes of what is left),
   * as the kubelet applies them.
   */
  private ApiResponse podLog(ResourceType type, ResourceRef ref, ApiRequest request) {
    ObjectNode object = store.get(ApiPaths.of(ApiPaths.object(ref)))
        .orElseThrow(() -> ApiError.notFound(type, ref.name()));
    PodLogSource source = logs;
    if (source == null) {
      throw ApiError.badRequest("no kubelet serves logs in this API server");
    }
    String log = source.log(CrudStore.JSON.convertValue(object, io.fabric8.kubernetes.api.model.Pod.class),
        request.query().get("container"));
    String tail = request.query().get("tailLines");
    if (isSet(tail)) {
      long n = positive(tail, "tailLines");
      List<String> lines = List.of(log.split("\n", -1));
      int end = log.endsWith("\n") ? lines.size() - 1 : lines.size();
      int from = (int) Math.max(0, end - n);
      log = String.join("\n", lines.subList(from, end)) + (end > from && log.endsWith("\n") ? "\n" : "");
    }
    String limit = request.query().get("limitBytes");
    if (isSet(limit)) {
      byte[] bytes = log.getBytes(java.nio.charset.StandardCharsets.UTF_8);
      long n = positive(limit, "limitBytes");
      log = bytes.length <= n ? log : new String(bytes, 0, (int) n, java.nio.charset.StandardCharsets.UTF_8);
    }
    return ApiResponse.text(200, log);
  }

  private static long positive(String value, String name) {
    try {
      long n = Long.parseLong(value);
      if (n >= 0) {
        return n;
      }
    } catch (NumberFormatException e) {
      // refused below
    }
    throw ApiError.badRequest(name + ": Invalid value: \"" + value + "\": must be greater than or equal to 0");
  }

  private ApiResponse read(ResourceType type, ResourceRef ref, ApiRequest request) {
    if (!type.isStored()) {
      throw ApiError.methodNotAllowed("GET");
    }
    String storePath = ApiPaths.of(ApiPaths.object(ref)) + storeQuery(request);
    FieldSelector selector = fieldSelector(request);
    if (request.isWatch()) {
      return watch(type, ref, request, storePath, selector);
    }
    if (ref.name() != null) {
      ObjectNode object = store.get(storePath).orElseThrow(() -> ApiError.notFound(type, ref.name()));
      if ("scale".equals(ref.subresource())) {
        return ApiResponse.json(200, ScaleSubresource.of(object));
      }
      if (TableConverter.wanted(request.accept())) {
        return ApiResponse.json(200, TableConverter.table(type, List.of(object),
            object.path("metadata").path("resourceVersion").asText(), request.query().get("includeObject")));
      }
      return ApiResponse.json(200, object);
    }
    ListQuery.checkList(request.query());
    CrudStore.StoredList list = store.read(storePath);
    List<ObjectNode> items = list.items().stream().filter(selector::matches).toList();
    boolean acrossNamespaces = type.namespaced() && ref.namespace() == null;
    ListPages.Page page = ListPages.page(items, request.query(), list.resourceVersion(),
        item -> acrossNamespaces ? item.path("metadata").path("namespace").asText() + "/"
            + item.path("metadata").path("name").asText() : item.path("metadata").path("name").asText(),
        isSet(request.query().get("labelSelector")) || isSet(request.query().get("fieldSelector")), store.window());
    if (TableConverter.wanted(request.accept())) {
      ObjectNode table = TableConverter.table(type, page.items(), page.resourceVersion(),
          request.query().get("includeObject"));
      page.describeIn(table.withObjectProperty("metadata"));
      return ApiResponse.json(200, table);
    }
    ObjectNode typedList = CrudStore.JSON.createObjectNode().put("kind", type.kind() + "List")
        .put("apiVersion", type.apiVersion());
    page.describeIn(typedList.putObject("metadata"));
    typedList.putArray("items").addAll(page.items());
    return ApiResponse.json(200, typedList);
  }

  /**
   * Opens a watch on the store, from the client's resourceVersion: one the watch cache window (or
   * the deletion log) no longer covers gets upstream's ERROR event 410 instead; a watch that asks
   * for {@code sendInitialEvents} gets every object, then the initial-events-end bookmark.
   */
  private ApiResponse watch(ResourceType type, ResourceRef ref, ApiRequest request, String storePath,
      FieldSelector selector) {
    boolean initialEvents = ListQuery.checkWatch(request.query());
    boolean bookmarks = "true".equals(request.query().get("allowWatchBookmarks"));
    RecordedRequest watch = CrudStore.request(HttpMethod.GET, storePath, null);
    UnaryOperator<JsonNode> format = TableConverter.wanted(request.accept())
        ? WatchEvents.asTable(type, request.query().get("includeObject")) : UnaryOperator.identity();
    // the store matches core paths by plural alone ("events" of events.k8s.io too)
    Predicate<JsonNode> selected = object -> type.apiVersion().equals(object.path("apiVersion").asText())
        && selector.matches(object);
    long since = initialEvents ? 0 : WatchEvents.parseVersion(request.query().get("resourceVersion"));
    // registered and opened with no write in between, so the watch misses no event
    WatchEvents events = pipeline.withoutWrites(() -> {
      if (since > 0 && !(store.deletions().covers(since) && store.window().covers(since))) {
        return null;
      }
      MockResponse answer = store.dispatch(watch);
      WatchEvents opened = new WatchEvents(answer.getWebSocketListener(), watch, selected, since, format, faults,
          request);
      if (since > 0) {
        opened.deletedSinceList(store.deletions().since(since, type.apiVersion(), type.kind(), ref.namespace(),
            selected));
      }
      opened.open(answer);
      if (initialEvents) {
        opened.bookmark(type.apiVersion(), type.kind(), store.version(), true);
      }
      faults.opened(opened);
      return opened;
    });
    if (events == null) {
      expiredWatches.incrementAndGet();
      return ApiResponse.watch(watch, new MockResponse().withWebSocketUpgrade(
          new ExpiredWatch(since, store.window().oldest() + 1)));
    }
    timers.start(events, request.query().get("timeoutSeconds"), bookmarks, () -> pipeline.withoutWrites(() -> {
      events.bookmark(type.apiVersion(), type.kind(), store.version(), false);
      return null;
    }));
    return ApiResponse.watch(watch, new MockResponse().withWebSocketUpgrade(events));
  }

  private static boolean isSet(String value) {
    return value != null && !value.isEmpty();
  }

  /** Refuses paths that do not address this type the way its scope and subresources allow. */
  private static void checkAddressable(ResourceType type, ResourceRef ref) {
    boolean scopeMismatch = type.namespaced() ? ref.namespace() == null && ref.name() != null
        : ref.namespace() != null;
    boolean unknownSubresource = ref.subresource() != null && !type.subresources().contains(ref.subresource());
    if (scopeMismatch || unknownSubresource) {
      throw ApiError.noSuchPath();
    }
  }

  private static void requireName(ResourceRef ref, String method) {
    if (ref.name() == null) {
      throw ApiError.methodNotAllowed(method);
    }
  }

  /** kubectl and fabric8 send {@code DeleteOptions} in the body: dry run, propagation and grace matter here. */
  private static WriteOptions withDeleteBody(WriteOptions options, String body) {
    if (body == null || body.isBlank()) {
      return options;
    }
    JsonNode deleteOptions = RequestBodies.json(body);
    WriteOptions.Propagation propagation = deleteOptions.path("orphanDependents").asBoolean(false)
        ? WriteOptions.Propagation.ORPHAN
        : WriteOptions.Propagation.named(deleteOptions.path("propagationPolicy").asText(null))
            .orElse(options.propagation());
    JsonNode grace = deleteOptions.path("gracePeriodSeconds");
    if (!grace.isMissingNode() && !grace.isNull() && !grace.canConvertToLong()) {
      throw ApiError.badRequest("DeleteOptions.gracePeriodSeconds must be a whole number of seconds, not " + grace);
    }
    return new WriteOptions(options.dryRun() || deleteOptions.path("dryRun").toString().contains("All"),
        options.fieldValidation(), propagation,
        grace.isNumber() ? Long.valueOf(grace.asLong()) : options.gracePeriodSeconds());
  }

  private static FieldSelector fieldSelector(ApiRequest request) {
    return FieldSelector.parse(request.query().get("fieldSelector"));
  }

  /**
   * The selectors (and watch flag) as the store parses them: it splits the query itself and only
   * decodes some of it, so values are passed with only the characters that would break the query
   * escaped ({@code metadata.name=web}, not {@code metadata.name%3Dweb}).
   */
  private static String storeQuery(ApiRequest request) {
    StringJoiner query = new StringJoiner("&", "?", "").setEmptyValue("");
    for (String name : STORE_QUERY) {
      String value = name.equals("fieldSelector") ? fieldSelector(request).forStore() : request.query().get(name);
      Optional.ofNullable(value).filter(v -> !v.isEmpty())
          .ifPresent(v -> query.add(name + "=" + v.replace("%", "%25").replace("&", "%26")
              .replace("#", "%23").replace("+", "%2B").replace(" ", "%20")));
    }
    return query.toString();
  }
}
