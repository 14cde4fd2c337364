/**
 * The sandbox's Kubernetes API server: fabric8's CRUD mock ({@code KubernetesCrudDispatcher}) is
 * the store and watch engine, called in-process behind a Vert.x HTTP front on 127.0.0.1 that does
 * what a real API server does where kubectl and the operator can see it.
 *
 * <ul>
 *   <li>{@link dev.hotfix.sandbox.api.ApiServer} starts it, writes a kubeconfig, hands out clients.
 *   <li>{@code HttpFront} is the HTTP side; it authenticates each request and applies
 *       impersonation ({@link dev.hotfix.sandbox.api.Users} → {@link dev.hotfix.sandbox.api.UserInfo});
 *       {@link dev.hotfix.sandbox.api.ApiFront}
 *       routes: health, {@link dev.hotfix.sandbox.api.Discovery}, {@link dev.hotfix.sandbox.api.OpenApiDocuments},
 *       then resources parsed by {@link dev.hotfix.sandbox.api.ApiPaths} and known to the
 *       {@link dev.hotfix.sandbox.api.ResourceRegistry} (built-in table plus stored CRDs).
 *   <li>Reads go to the {@link dev.hotfix.sandbox.api.CrudStore}, as objects or as Tables
 *       ({@code TableConverter}); watches stream through
 *       {@code WatchEvents} over WebSocket or {@code ChunkedWatch}.
 *   <li>Writes go through one {@link dev.hotfix.sandbox.api.MutationPipeline}: the object asked for
 *       (body, {@link dev.hotfix.sandbox.api.ObjectPatcher}, status, scale), optimistic concurrency,
 *       admission (mutating webhooks, {@link dev.hotfix.sandbox.api.Admission}, validating
 *       webhooks: {@code AdmissionWebhooks}, called outside the pipeline's lock through
 *       {@code AdmissionVerdicts}), then a full-object write; a pod's delete is graceful
 *       ({@code GracefulDeletion}); deletes cascade through the {@code GarbageCollector}'s worker,
 *       which hears of every change from the store.
 *   <li>Refusals are {@link dev.hotfix.sandbox.api.ApiError}s, answered as Kubernetes {@code Status}.
 *   <li>kubectl generators' protobuf bodies of simple kinds are read by {@code ProtobufBodies}.
 * </ul>
 */
package dev.hotfix.sandbox.api;
