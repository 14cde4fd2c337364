package dev.hotfix.sandbox.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.mockwebserver.dsl.HttpMethod;
import io.fabric8.mockwebserver.http.MockResponse;
import java.security.SecureRandom;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.function.Supplier;

/**
 * Every write goes through here, as through a real API server's handler chain: compute the object
 * the client asks for (body, patch, status or scale), check optimistic concurrency, admit it
 * (mutating webhooks, defaults, validation, validating webhooks), then store the full object. One
 * lock serializes the read-modify-write, so two concurrent patches can never lose an update;
 * admission webhooks are called outside it ({@link AdmissionVerdicts}).
 */
public final class MutationPipeline implements AutoCloseable {
  private static final String GENERATE_NAME_ALPHABET = "bcdfghjklmnpqrstvwxz2456789";
  private static final SecureRandom RANDOM = new SecureRandom();
  /**
   * How often a write is retried when its object changed while webhooks were asked about it: as
   * often as kube-apiserver retries a patch on conflict (maxRetryWhenPatchConflicts in its patch
   * handler), since a controller's status writes can land during each round.
   */
  private static final int WEBHOOK_ROUNDS = 5;

  private final CrudStore store;
  private final AdmissionWebhooks webhooks;
  private final GarbageCollector garbageCollector;
  private final ReentrantLock lock = new ReentrantLock();

  public MutationPipeline(CrudStore store, Admission admission, ResourceRegistry registry) {
    this.store = store;
    this.webhooks = new AdmissionWebhooks(store, admission);
    this.garbageCollector = new GarbageCollector(store, registry, this);
  }

  /** Stops the garbage collector's worker. */
  @Override
  public void close() {
    garbageCollector.close();
  }

  /** POST to a collection by {@code user}: 201 with the stored object. */
  public ApiResponse create(ResourceType type, ResourceRef collection, ObjectNode body, WriteOptions options,
      UserInfo user) {
    ObjectNode object = withTypeMeta(type, body);
    if (type.namespaced() && collection.namespace() == null) {
      throw ApiError.methodNotAllowed("POST");
    }
    ObjectNode metadata = object.withObjectProperty("metadata");
    if (metadata.path("name").asText("").isEmpty()) {
      String prefix = metadata.path("generateName").asText("");
      if (prefix.isEmpty()) {
        FieldError missing = new FieldError("FieldValueRequired", "metadata.name",
            "Required value: name or generateName is required");
        throw ApiError.refused(InvalidObjectException.invalid(type.kind(), type.group(), "", List.of(missing)));
      }
      metadata.put("name", prefix + randomSuffix());
    }
    String name = metadata.path("name").asText();
    if (type.namespaced()) {
      String namespace = metadata.path("namespace").asText(collection.namespace());
      if (!namespace.equals(collection.namespace())) {
        throw ApiError.badRequest("the namespace of the provided object does not match the namespace sent on the "
            + "request");
      }
      metadata.put("namespace", namespace);
    }
    ResourceRef ref = new ResourceRef(collection.group(), collection.version(), collection.plural(),
        collection.namespace(), name, null);
    if (type.hasStatusSubresource()) {
      // status is written through its subresource, never with the object
      object.remove("status");
    }
    if (type.kind().equals("CustomResourceDefinition")) {
      CrdConditions.establish(object);
    }
    return admitted(verdicts -> {
      JsonNode admitted = verdicts.admit(new AdmissionAttributes(AdmissionAttributes.CREATE, type, ref, null,
          object.deepCopy(), user, options));
      // As upstream: validation answers first; only storage knows the name is taken.
      if (store.get(ApiPaths.of(ref)).isPresent()) {
        throw ApiError.alreadyExists(type, name);
      }
      if (type.group().isEmpty() && type.plural().equals("pods")) {
        PodQuota.admit(store, collection.namespace(), name);
      }
      if (options.dryRun()) {
        // what storing would have set, as upstream answers a dry run
        ObjectNode answer = admitted.deepCopy();
        answer.withObjectProperty("metadata").put("uid", UUID.randomUUID().toString())
            .put("creationTimestamp", Instant.now().truncatedTo(ChronoUnit.SECONDS).toString()).put("generation", 1);
        return ApiResponse.json(201, answer);
      }
      return storeAnswer(type, name, store.dispatch(HttpMethod.POST, ApiPaths.of(collection), admitted), 201);
    });
  }

  /** PUT of an object or its status by {@code user}: 200 with the stored object. */
  public ApiResponse update(ResourceType type, ResourceRef ref, ObjectNode body, WriteOptions options,
      UserInfo user) {
    return admitted(verdicts -> {
      ObjectNode stored = read(type, ref);
      String name = body.path("metadata").path("name").asText("");
      if (!name.isEmpty() && !name.equals(ref.name())) {
        throw ApiError.badRequest("the name of the object (" + name + ") does not match the name on the URL ("
            + ref.name() + ")");
      }
      return write(verdicts, user, type, ref, stored, withTypeMeta(type, body), options);
    });
  }

  /** PATCH of an object, its status or its scale by {@code user}: 200 with the stored object (or Scale). */
  public ApiResponse patch(ResourceType type, ResourceRef ref, String contentType, String body,
      WriteOptions options, UserInfo user) {
    if (isScale(ref)) {
      ObjectPatcher.checkMediaType(contentType, "autoscaling/v1", "Scale");
    } else {
      ObjectPatcher.checkMediaType(contentType, type.apiVersion(), type.kind());
    }
    return admitted(verdicts -> {
      ObjectNode stored = read(type, ref);
      JsonNode target = isScale(ref) ? ScaleSubresource.of(stored) : stored;
      JsonNode patched = ObjectPatcher.apply(target, contentType, body, target.path("apiVersion").asText(),
          target.path("kind").asText());
      if (!patched.isObject()) {
        throw ApiError.badRequest("the patched object is not a JSON object");
      }
      return write(verdicts, user, type, ref, stored, (ObjectNode) patched, options);
    });
  }

  /** PUT of a Scale by {@code user}: the workload's replicas. */
  public ApiResponse updateScale(ResourceType type, ResourceRef ref, ObjectNode scale, WriteOptions options,
      UserInfo user) {
    return admitted(verdicts -> write(verdicts, user, type, ref, read(type, ref), scale, options));
  }

  /**
   * DELETE of one object by {@code user}, as upstream's registry store: 200 with the object as
   * the delete left it. A pod on a node is marked (deletionTimestamp, deletionGracePeriodSeconds)
   * and stays until its kubelet deletes it again with no grace; a second delete may only shorten
   * the grace. {@code Orphan} and {@code Foreground} add their finalizer, and the garbage
   * collector finishes the deletion after the answer; an object held by finalizers is answered
   * marked.
   */
  public ApiResponse delete(ResourceType type, ResourceRef ref, WriteOptions options, UserInfo user) {
    return admitted(verdicts -> {
      ObjectNode stored = read(type, ref);
      verdicts.admit(new AdmissionAttributes(AdmissionAttributes.DELETE, type, ref, stored, null, user, options));
      return ApiResponse.json(200, options.dryRun() ? stored : remove(ref, stored, options));
    });
  }

  /**
   * DELETE of a collection by {@code user}: every match, one by one, once admission allowed
   * every one (a webhook's refusal of one deletes none).
   *
   * @param storeQuery the selectors the store evaluates
   * @param selected the objects the client selected among those (its full field selector)
   */
  public ApiResponse deleteCollection(ResourceType type, ResourceRef collection, String storeQuery,
      Predicate<JsonNode> selected, WriteOptions options, UserInfo user) {
    return admitted(verdicts -> {
      ObjectNode list = CrudStore.JSON.createObjectNode().put("kind", type.kind() + "List")
          .put("apiVersion", type.apiVersion());
      var items = list.putArray("items");
      List<AdmissionAttributes> deletes = new ArrayList<>();
      for (ObjectNode item : store.list(ApiPaths.of(collection) + storeQuery)) {
        if (selected.test(item)) {
          JsonNode metadata = item.path("metadata");
          ResourceRef ref = new ResourceRef(collection.group(), collection.version(), collection.plural(),
              metadata.path("namespace").asText(null), metadata.path("name").asText(), null);
          deletes.add(new AdmissionAttributes(AdmissionAttributes.DELETE, type, ref, item, null, user, options));
        }
      }
      verdicts.admitAll(deletes);
      for (AdmissionAttributes delete : deletes) {
        items.add(options.dryRun() ? delete.oldObject()
            : remove(delete.ref(), (ObjectNode) delete.oldObject(), options));
      }
      return ApiResponse.json(200, list);
    });
  }

  /**
   * Deletes one stored object: marks it while a grace period or finalizers hold it, removes it
   * otherwise. Answers what is stored afterwards, or the last state of what was removed.
   */
  private ObjectNode remove(ResourceRef ref, ObjectNode stored, WriteOptions options) {
    String path = ApiPaths.of(ApiPaths.object(ref));
    ObjectNode next = stored.deepCopy();
    Instant now = Instant.now();
    if (GracefulDeletion.before(next, options.gracePeriodSeconds(), now) == GracefulDeletion.Outcome.PENDING) {
      return stored;
    }
    GarbageCollector.withPropagationFinalizers(next, options.propagation());
    boolean held = !next.path("metadata").path("finalizers").isEmpty();
    if (held || GracefulDeletion.graceOf(next) > 0) {
      GracefulDeletion.markWithoutGrace(next, now);
      store.dispatch(HttpMethod.PUT, path, next);
      return store.get(path).orElse(next);
    }
    store.dispatch(HttpMethod.DELETE, path, null);
    return store.get(path).orElse(stored);
  }

  /**
   * The common end of update and patch: {@code requested} is what the client wants the object
   * (or its status, or its Scale) to be.
   */
  private ApiResponse write(AdmissionVerdicts verdicts, UserInfo user, ResourceType type, ResourceRef ref,
      ObjectNode stored, ObjectNode requested, WriteOptions options) {
    String requestedVersion = requested.path("metadata").path("resourceVersion").asText("");
    if (!requestedVersion.isEmpty()
        && !requestedVersion.equals(stored.path("metadata").path("resourceVersion").asText())) {
      throw ApiError.conflict(type, ref.name());
    }
    ObjectNode next;
    if (isScale(ref)) {
      next = ScaleSubresource.apply(stored, requested);
    } else if (ref.isStatus()) {
      next = stored.deepCopy();
      setOrRemove(next, "status", requested.get("status"));
      if (Generations.isDeployment(stored)) {
        // upstream's Deployment status strategy resets only spec and labels: the controller
        // records its revision annotation this way, without bumping the generation
        ((ObjectNode) next.path("metadata")).set("annotations", requested.path("metadata").get("annotations"));
      }
    } else {
      next = requested;
      if (type.hasStatusSubresource()) {
        setOrRemove(next, "status", stored.get("status"));
      }
      keepDeletionMarks(stored, next);
    }
    ResourceRef object = ApiPaths.object(ref);
    // a Scale write has become a write of the whole workload, admitted as such (webhooks see
    // the Scale); a status write is admitted as one (its own schema rules)
    JsonNode admitted = verdicts.admit(new AdmissionAttributes(AdmissionAttributes.UPDATE, type, ref, stored, next,
        user, options));
    JsonNode result;
    if (options.dryRun()) {
      result = admitted;
    } else {
      // the store's own status handling is the same as ours: PUT to /status takes only the status
      MockResponse written = ref.isStatus() && Generations.isDeployment(admitted)
          ? store.putAsStatusWrite(ApiPaths.of(object), admitted)
          : store.dispatch(HttpMethod.PUT, ApiPaths.of(ref.isStatus() ? ref : object), admitted);
      // the store answers a write that removed the object (its last finalizer gone) without a body
      boolean removed = written.code() == 200 && written.getBody() == null;
      if (!removed) {
        storeAnswer(type, ref.name(), written, 200); // throws the store's refusal
      }
      Optional<ObjectNode> current = removed ? Optional.empty() : store.get(ApiPaths.of(object));
      if (current.isEmpty()) {
        // the write removed the last finalizer of an object marked for deletion (the garbage
        // collector hears of it from the store)
        return ApiResponse.json(200, admitted);
      }
      result = current.get();
    }
    return ApiResponse.json(200, isScale(ref) ? ScaleSubresource.of(result) : result);
  }

  /**
   * Runs a write in the lock. When admission webhooks must be asked first, they are asked with
   * the lock released and the write runs again (see {@link AdmissionVerdicts}).
   */
  private ApiResponse admitted(Function<AdmissionVerdicts, ApiResponse> write) {
    AdmissionVerdicts verdicts = new AdmissionVerdicts(webhooks);
    for (int round = 1; ; round++) {
      try {
        return locked(() -> write.apply(verdicts));
      } catch (AdmissionVerdicts.Pending pending) {
        if (round > WEBHOOK_ROUNDS) {
          throw ApiError.of(409, "Conflict", "the object kept changing while admission webhooks were asked about "
              + "the write; please try again");
        }
        verdicts.decide(pending);
      }
    }
  }

  private ObjectNode read(ResourceType type, ResourceRef ref) {
    return store.get(ApiPaths.of(ApiPaths.object(ref))).orElseThrow(() -> ApiError.notFound(type, ref.name()));
  }

  /** Clients may leave out kind and apiVersion in a body sent to a typed path; the path says them. */
  private static ObjectNode withTypeMeta(ResourceType type, ObjectNode body) {
    ObjectNode object = body.deepCopy();
    if (object.path("kind").asText("").isEmpty()) {
      object.put("kind", type.kind());
    }
    if (object.path("apiVersion").asText("").isEmpty()) {
      object.put("apiVersion", type.apiVersion());
    }
    return object;
  }

  /** The store's answer to a write, its refusals translated to upstream's wording. */
  private static ApiResponse storeAnswer(ResourceType type, String name, MockResponse answer, int successCode) {
    if (answer.code() >= 200 && answer.code() < 300) {
      return ApiResponse.json(successCode, CrudStore.parse(answer));
    }
    if (answer.code() == 404) {
      throw ApiError.notFound(type, name);
    }
    if (answer.code() == 409) {
      throw ApiError.conflict(type, name);
    }
    String message = answer.getBody() == null ? "" : CrudStore.parse(answer).path("message").asText();
    throw ApiError.badRequest(message);
  }

  /** An update never removes or changes a deletion timestamp, nor removes a grace period (upstream's BeforeUpdate). */
  private static void keepDeletionMarks(ObjectNode stored, ObjectNode next) {
    if (!GracefulDeletion.isMarked(stored)) {
      return;
    }
    JsonNode before = stored.path("metadata");
    ObjectNode metadata = next.withObjectProperty("metadata");
    metadata.set("deletionTimestamp", before.get("deletionTimestamp"));
    if (metadata.path("deletionGracePeriodSeconds").isMissingNode() && before.has("deletionGracePeriodSeconds")) {
      metadata.set("deletionGracePeriodSeconds", before.get("deletionGracePeriodSeconds"));
    }
  }

  private static boolean isScale(ResourceRef ref) {
    return "scale".equals(ref.subresource());
  }

  private static void setOrRemove(ObjectNode object, String field, JsonNode value) {
    if (value == null || value.isMissingNode()) {
      object.remove(field);
    } else {
      object.set(field, value.deepCopy());
    }
  }

  private static String randomSuffix() {
    StringBuilder suffix = new StringBuilder();
    for (int i = 0; i < 5; i++) {
      suffix.append(GENERATE_NAME_ALPHABET.charAt(RANDOM.nextInt(GENERATE_NAME_ALPHABET.length())));
    }
    return suffix.toString();
  }

  /**
   * Runs {@code action} while no write can happen: for work that must see the store hold still,
   * such as registering and opening a watch.
   */
  public <T> T withoutWrites(Supplier<T> action) {
    return locked(action);
  }

  private <T> T locked(Supplier<T> write) {
    lock.lock();
    try {
      return write.get();
    } finally {
      lock.unlock();
    }
  }
}
