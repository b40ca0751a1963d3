package it.support;

import jakarta.json.Json;
import jakarta.json.JsonObject;
import java.io.StringReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.WebSocket;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

/** A WebSocket client of the server's streams that keeps every message it receives. */
public final class Stream implements WebSocket.Listener {

  public final List<JsonObject> messages = new CopyOnWriteArrayList<>();
  public final CompletableFuture<Integer> closed = new CompletableFuture<>();
  private final boolean reads;
  private final StringBuilder partial = new StringBuilder();
  private WebSocket socket;

  private Stream(boolean reads) {
    this.reads = reads;
  }

  /** A ticket for the administrator's key, or for {@code key}. */
  public static String ticket(String key) {
    var answer =
        Api.sendAs(
            key,
            HttpRequest.newBuilder(Api.uri("/api/v1/tickets"))
                .POST(HttpRequest.BodyPublishers.noBody()));
    if (answer.statusCode() != 200) {
      throw new IllegalStateException("no ticket: " + answer.statusCode() + " " + answer.body());
    }
    return Api.json(answer).getString("ticket");
  }

  /** Opens {@code path} (with its query); a client that never reads if {@code reads} is false. */
  public static Stream open(String path, boolean reads) {
    Stream stream = new Stream(reads);
    URI uri = URI.create(Api.BASE.replaceFirst("^http", "ws") + path);
    stream.socket =
        HttpClient.newHttpClient()
            .newWebSocketBuilder()
            .buildAsync(uri, stream)
            .orTimeout(20, TimeUnit.SECONDS)
            .join();
    return stream;
  }

  /** How the handshake ended: the HTTP status of a refusal, or 101. */
  public static int handshakeStatus(String path) {
    URI uri = URI.create(Api.BASE.replaceFirst("^http", "ws") + path);
    try {
      HttpClient.newHttpClient().newWebSocketBuilder().buildAsync(uri, new Stream(true)).join();
      return 101;
    } catch (java.util.concurrent.CompletionException e) {
      if (e.getCause() instanceof java.net.http.WebSocketHandshakeException refused) {
        return refused.getResponse().statusCode();
      }
      throw e;
    }
  }

  /** Sends one text message. */
  public void send(String text) {
    socket.sendText(text, true).join();
  }

  public void abort() {
    socket.abort();
  }

  @Override
  public void onOpen(WebSocket webSocket) {
    if (reads) {
      webSocket.request(1);
    }
  }

  @Override
  public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
    partial.append(data);
    if (last) {
      messages.add(Json.createReader(new StringReader(partial.toString())).readObject());
      partial.setLength(0);
    }
    webSocket.request(1);
    return null;
  }

  @Override
  public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
    closed.complete(statusCode);
    return null;
  }

  @Override
  public void onError(WebSocket webSocket, Throwable error) {
    closed.completeExceptionally(error);
  }
}
