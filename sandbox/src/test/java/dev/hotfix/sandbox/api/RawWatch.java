package dev.hotfix.sandbox.api;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Stream;

/** A chunked HTTP watch as kubectl opens it, its events collected as they arrive (for raw protocol checks). */
final class RawWatch implements AutoCloseable {
  private final List<JsonNode> events = new CopyOnWriteArrayList<>();
  private final CompletableFuture<Void> ended;
  private final CompletableFuture<HttpResponse<Stream<String>>> response;

  private RawWatch(URI uri) {
    HttpRequest request = HttpRequest.newBuilder(uri).GET().build();
    response = HttpClient.newHttpClient().sendAsync(request, HttpResponse.BodyHandlers.ofLines());
    ended = response.thenAcceptAsync(r -> r.body().forEach(line -> events.add(parse(line))));
  }

  /** Opens {@code GET api + pathAndQuery} (the query must ask to watch). */
  static RawWatch open(ApiServer api, String pathAndQuery) {
    return new RawWatch(api.url().resolve(pathAndQuery));
  }

  List<JsonNode> events() {
    return events;
  }

  /** The events of one type, in order. */
  List<JsonNode> events(String type) {
    return events.stream().filter(e -> type.equals(e.path("type").asText())).toList();
  }

  int status() {
    return response.join().statusCode();
  }

  /** Whether the server ended the stream. */
  boolean ended() {
    return ended.isDone();
  }

  private static JsonNode parse(String line) {
    try {
      return CrudStore.JSON.readTree(line);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public void close() {
    response.thenAccept(r -> r.body().close());
    ended.cancel(true);
  }
}
