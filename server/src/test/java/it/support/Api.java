package it.support;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

import jakarta.json.Json;
import jakarta.json.JsonArray;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import java.io.IOException;
import java.io.StringReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Set;

/** The Stevedore REST API as a client sees it: plain HTTP and JSON. */
public final class Api {

  public static final String BASE = System.getProperty("stevedore.url", "http://localhost:19080");
  public static final String AGENT_IMAGE = "stevedore/agent:latest";
  public static final String ADMIN_KEY = System.getProperty("stevedore.admin.key");
  public static final Set<String> FINAL_STATES =
      Set.of("SUCCEEDED", "FAILED", "TIMED_OUT", "CANCELLED");

  private static final HttpClient HTTP =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  private Api() {}

  public static HttpResponse<String> get(String path) {
    return send(HttpRequest.newBuilder(uri(path)).GET());
  }

  public static HttpResponse<String> post(String path, String json) {
    return send(
        HttpRequest.newBuilder(uri(path))
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(json)));
  }

  /** Sends the request with the administrator's key. */
  /** A call to another server (another node) at {@code base}; {@code json} null for no body. */
  public static HttpResponse<String> at(String base, String method, String path, String json) {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create(base + path))
            .method(
                method,
                json == null
                    ? HttpRequest.BodyPublishers.noBody()
                    : HttpRequest.BodyPublishers.ofString(json));
    if (json != null) {
      request.header("Content-Type", "application/json");
    }
    return send(request);
  }

  public static HttpResponse<String> send(HttpRequest.Builder request) {
    return sendAs(ADMIN_KEY, request);
  }

  /** Sends the request with {@code key}, or with no Authorization header if it is null. */
  public static HttpResponse<String> sendAs(String key, HttpRequest.Builder request) {
    return send(key, request, HttpResponse.BodyHandlers.ofString());
  }

  /** Sends the request with the administrator's key, the answer read by {@code body}. */
  public static <T> HttpResponse<T> send(
      HttpRequest.Builder request, HttpResponse.BodyHandler<T> body) {
    return send(ADMIN_KEY, request, body);
  }

  public static JsonObject parse(String json) {
    return Json.createReader(new StringReader(json)).readObject();
  }

  public static jakarta.json.JsonArray jsonArray(HttpResponse<String> response) {
    return Json.createReader(new StringReader(response.body())).readArray();
  }

  public static HttpResponse<byte[]> sendBytes(HttpRequest.Builder request) {
    return send(ADMIN_KEY, request, HttpResponse.BodyHandlers.ofByteArray());
  }

  private static <T> HttpResponse<T> send(
      String key, HttpRequest.Builder request, HttpResponse.BodyHandler<T> body) {
    if (key != null) {
      request.setHeader("Authorization", "Bearer " + key);
    }
    try {
      return HTTP.send(request.timeout(Duration.ofSeconds(30)).build(), body);
    } catch (IOException e) {
      throw new IllegalStateException("Stevedore did not answer at " + BASE, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  public static URI uri(String path) {
    return URI.create(BASE + path);
  }

  public static JsonObject json(HttpResponse<String> response) {
    return Json.createReader(new StringReader(response.body())).readObject();
  }

  /** Submits a job and returns it as answered (201). */
  public static JsonObject submit(String specJson) {
    HttpResponse<String> response = post("/api/v1/jobs", specJson);
    assertEquals(201, response.statusCode(), response.body());
    return json(response);
  }

  /** A spec running {@code sh -c script} in the agent image. */
  public static String shellJob(String script) {
    return shellJob(script, 50);
  }

  public static String shellJob(String script, int priority) {
    return shellSpec(script).add("priority", priority).build().toString();
  }

  /** A spec running {@code sh -c script} in the agent image, to add more fields to. */
  public static JsonObjectBuilder shellSpec(String script) {
    return Json.createObjectBuilder()
        .add("name", "it-job")
        .add("image", AGENT_IMAGE)
        .add("command", Json.createArrayBuilder().add("sh").add("-c").add(script));
  }

  /** The shell spec with one callback to {@code url}, signed with {@code secret}. */
  public static JsonObjectBuilder shellSpecCalling(String script, JsonObjectBuilder callback) {
    return shellSpec(script).add("callbacks", Json.createArrayBuilder().add(callback));
  }

  /** A callback that the server may never call: the cloud metadata address. */
  public static JsonObjectBuilder forbiddenCallback() {
    return Json.createObjectBuilder()
        .add("url", "https://169.254.169.254/latest/meta-data")
        .add("secret", "whsec_MDEyMzQ1Njc4OWFiY2RlZjAxMjM=");
  }

  public static JsonObject job(String id) {
    HttpResponse<String> response = get("/api/v1/jobs/" + id);
    assertEquals(200, response.statusCode(), response.body());
    return json(response);
  }

  public static String state(String id) {
    return job(id).getString("state");
  }

  /** Waits until the job is in one of the states, and returns it. */
  public static JsonObject awaitState(String id, Duration atMost, String... states) {
    Set<String> wanted = Set.of(states);
    await()
        .atMost(atMost)
        .pollInterval(Duration.ofMillis(100))
        .until(() -> wanted.contains(state(id)));
    return job(id);
  }

  public static JsonObject awaitEnd(String id) {
    return awaitState(id, Duration.ofSeconds(60), FINAL_STATES.toArray(String[]::new));
  }

  public static String logs(String id) {
    HttpResponse<String> response = get("/api/v1/jobs/" + id + "/logs");
    assertEquals(200, response.statusCode(), response.body());
    return response.body();
  }

  /** The states the job went through, in order, from its history. */
  public static List<String> history(JsonObject job) {
    return job.getJsonArray("history").getValuesAs(JsonObject.class).stream()
        .map(h -> h.getString("to"))
        .toList();
  }

  /** When the job's history says it entered {@code state} first. */
  public static String enteredAt(JsonObject job, String state) {
    return job.getJsonArray("history").getValuesAs(JsonObject.class).stream()
        .filter(h -> h.getString("to").equals(state))
        .map(h -> h.getString("at"))
        .findFirst()
        .orElseThrow(() -> new AssertionError("never " + state + ": " + job));
  }

  /** The id of the newest job, or null: tells whether a request created one. */
  public static String newestJobId() {
    JsonArray items = json(get("/api/v1/jobs?limit=1")).getJsonArray("items");
    return items.isEmpty() ? null : items.getJsonObject(0).getString("id");
  }
}
