package it;

import static it.support.Api.awaitEnd;
import static it.support.Api.json;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import it.support.Api;
import it.support.Ready;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.SocketTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Image references a job may name, and how a refused or missing image ends: its job alone. */
class ImagesIT {

  @BeforeAll
  static void ready() {
    Ready.application();
  }

  private static final String JOBS = "/api/v1/jobs";

  private static String spec(String image) {
    return Json.createObjectBuilder()
        .add("image", image)
        .add("command", Json.createArrayBuilder().add("true"))
        .build()
        .toString();
  }

  private static void assertRefusedNamingImage(HttpResponse<String> response, String field) {
    assertEquals(400, response.statusCode(), response.body());
    assertTrue(
        response.headers().firstValue("Content-Type").orElse("").startsWith("application/problem"),
        response.body());
    JsonObject problem = json(response);
    assertTrue(
        problem.getJsonArray("errors").getValuesAs(JsonObject.class).stream()
            .anyMatch(e -> e.getString("field").equals(field)),
        response.body());
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "../../etc",
        "..",
        "/etc/passwd",
        "Alpine",
        "alpine:",
        "a//b",
        "alpine@sha256:not-a-digest",
        "-x",
        "[::1]/x"
      })
  void referencesOutsideTheGrammarAreRefusedNamingImage(String image) {
    String before = Api.newestJobId();
    assertRefusedNamingImage(Api.post(JOBS, spec(image)), "image");
    assertEquals(before, Api.newestJobId(), "no job was created");
  }

  @Test
  void tooLongReferencesAreRefused() {
    assertRefusedNamingImage(Api.post(JOBS, spec("a/" + "b".repeat(300))), "image");
  }

  @Test
  void batchTemplatesFollowTheSameRule() {
    String batch =
        Json.createObjectBuilder()
            .add("name", "it-images")
            .add(
                "template",
                Json.createObjectBuilder()
                    .add("image", "../../etc")
                    .add("command", Json.createArrayBuilder().add("true")))
            .add("items", Json.createArrayBuilder().add(Json.createObjectBuilder()))
            .build()
            .toString();
    HttpResponse<String> response = Api.post("/api/v1/batches", batch);
    assertEquals(400, response.statusCode(), response.body());
    assertTrue(
        json(response).getJsonArray("errors").getValuesAs(JsonObject.class).stream()
            .anyMatch(e -> e.getString("field").endsWith("image")),
        response.body());
  }

  /**
   * A registry host in the image would make the engine connect there: refused at submission, and
   * nothing ever knocks at the address.
   */
  @Test
  void registryHostsNotAllowedAreRefusedAndNeverContacted() throws IOException {
    try (ServerSocket registry = new ServerSocket()) {
      registry.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 18080));
      registry.setSoTimeout(1500);
      for (String image :
          List.of("127.0.0.1:18080/x:y", "localhost:18080/x", "127.0.0.1/x", "10.1.2.3/x:1")) {
        HttpResponse<String> refused = Api.post(JOBS, spec(image));
        assertRefusedNamingImage(refused, "image");
        assertTrue(refused.body().contains("does not allow"), refused.body());
      }
      assertThrows(SocketTimeoutException.class, registry::accept, "no connection to 18080");
    }
  }

  @Test
  void dockerHubNamesAreAccepted() {
    for (String image : List.of("stevedore/agent:latest", "docker.io/stevedore/agent:latest")) {
      JsonObject job = Api.submit(Api.shellSpec("true").add("image", image).build().toString());
      assertEquals("SUCCEEDED", awaitEnd(job.getString("id")).getString("state"), image);
    }
  }

  /**
   * Jobs the engine refuses (a missing image, a command it cannot start) fail alone, with the
   * engine's reason, and never make the jobs of another tenant wait: none of those goes back from
   * STARTING to the queue.
   */
  @Test
  void refusedJobsFailAloneAndOtherTenantsRunUndisturbed() {
    String tenant = "t-" + UUID.randomUUID().toString().substring(0, 8);
    assertEquals(
        201,
        Api.post("/api/v1/tenants", Json.createObjectBuilder().add("id", tenant).build().toString())
            .statusCode());
    HttpResponse<String> madeKey =
        Api.post(
            "/api/v1/keys",
            Json.createObjectBuilder()
                .add("name", "it-images")
                .add("role", "SUBMITTER")
                .add("tenant", tenant)
                .build()
                .toString());
    assertEquals(201, madeKey.statusCode(), madeKey.body());
    String key = json(madeKey).getString("key");

    String missing =
        Api.submit(spec("stevedore/no-such-image-" + UUID.randomUUID() + ":v1")).getString("id");
    List<String> refused = new ArrayList<>();
    for (int i = 0; i < 11; i++) { // more than a circuit breaker's window
      refused.add(
          Api.submit(
                  Json.createObjectBuilder()
                      .add("image", Api.AGENT_IMAGE)
                      .add("command", Json.createArrayBuilder().add("/no/such/program"))
                      .build()
                      .toString())
              .getString("id"));
    }
    List<String> ordinary = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      HttpResponse<String> created =
          Api.sendAs(
              key,
              HttpRequest.newBuilder(Api.uri(JOBS))
                  .header("Content-Type", "application/json")
                  .POST(HttpRequest.BodyPublishers.ofString(Api.shellJob("echo ordinary " + i))));
      assertEquals(201, created.statusCode(), created.body());
      ordinary.add(json(created).getString("id"));
    }

    JsonObject failed = awaitEnd(missing);
    assertEquals("FAILED", failed.getString("state"), failed.toString());
    assertTrue(failed.getString("reason").contains("could not be pulled"), failed.toString());
    assertFalse(failed.getString("reason").contains("null"), failed.toString());
    for (String id : refused) {
      JsonObject job = awaitEnd(id);
      assertEquals("FAILED", job.getString("state"), job.toString());
      assertTrue(job.getString("reason").contains("refused"), job.toString());
      assertEquals(List.of("QUEUED", "STARTING", "FAILED"), Api.history(job));
    }
    for (String id : ordinary) {
      JsonObject job = awaitEnd(id);
      assertEquals("SUCCEEDED", job.getString("state"), job.toString());
      assertEquals(List.of("QUEUED", "STARTING", "RUNNING", "SUCCEEDED"), Api.history(job));
    }
  }
}
