package it;

import static it.support.Api.get;
import static it.support.Api.json;
import static it.support.Api.newestJobId;
import static it.support.Api.post;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jakarta.json.JsonObject;
import java.net.http.HttpResponse;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Bad input gets a clear problem document and changes nothing. */
class ValidationIT {

  static List<Arguments> invalidSpecs() {
    return List.of(
        Arguments.of("{\"image\": \"stevedore/agent:latest\", ", null),
        Arguments.of("not json at all", null),
        Arguments.of("{\"command\": [\"true\"]}", "image"),
        Arguments.of("{\"image\": \"  \"}", "image"),
        Arguments.of(
            "{\"image\": \"stevedore/agent:latest\", \"resources\": {\"memoryMb\": -5}}",
            "resources.memoryMb"),
        Arguments.of(
            "{\"image\": \"stevedore/agent:latest\", \"resources\": {\"memoryMb\": 9000}}",
            "resources.memoryMb"),
        Arguments.of("{\"image\": \"stevedore/agent:latest\", \"priority\": 1000}", "priority"),
        Arguments.of("{\"image\": \"stevedore/agent:latest\", \"network\": \"host\"}", "network"),
        Arguments.of(
            "{\"image\": \"stevedore/agent:latest\", \"env\": {\"1BAD\": \"x\"}}", "env[1BAD]"),
        Arguments.of("{\"image\": \"stevedore/agent:latest\", \"memoryMB\": 64}", null));
  }

  @ParameterizedTest
  @MethodSource("invalidSpecs")
  void invalidSubmissionIsRefusedAndCreatesNoJob(String body, String field) {
    String newestBefore = newestJobId();

    HttpResponse<String> response = post("/api/v1/jobs", body);

    JsonObject problem = assertProblem(response, 400);
    if (field != null) {
      assertTrue(
          problem.getJsonArray("errors").getValuesAs(JsonObject.class).stream()
              .anyMatch(e -> e.getString("field").equals(field)),
          problem.toString());
    }
    assertEquals(newestBefore, newestJobId(), "no job was created");
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "/api/v1/jobs?state=SLEEPING",
        "/api/v1/jobs?limit=0",
        "/api/v1/jobs?limit=abc",
        "/api/v1/jobs?cursor=bm9wZQ",
        "/api/v1/jobs/not-a-job-id",
        "/api/v1/jobs/not-a-job-id/logs",
        "/api/v1/jobs/0190a6b2-0000-7000-8000-00000000000G",
        "/api/v1/audit?since=yesterday"
      })
  void malformedParametersAre400(String path) {
    assertProblem(get(path), 400);
  }

  @Test
  void malformedIdOnCancelIs400AndUnknownIdIs404() {
    assertProblem(post("/api/v1/jobs/12345/cancel", ""), 400);
    JsonObject missing =
        assertProblem(get("/api/v1/jobs/0190a6b2-0000-7000-8000-000000000000"), 404);
    assertEquals(
        "/api/v1/jobs/0190a6b2-0000-7000-8000-000000000000", missing.getString("instance"));
  }

  @Test
  void validStateFilterIsAccepted() {
    HttpResponse<String> response = get("/api/v1/jobs?state=succeeded&state=FAILED&limit=5");
    assertEquals(200, response.statusCode(), response.body());
    assertNotNull(json(response).getJsonArray("items"));
  }

  static JsonObject assertProblem(HttpResponse<String> response, int status) {
    assertEquals(status, response.statusCode(), response.body());
    assertEquals(
        "application/problem+json", response.headers().firstValue("Content-Type").orElse(""));
    JsonObject problem = json(response);
    assertEquals(status, problem.getInt("status"));
    assertTrue(problem.getString("type").startsWith("urn:stevedore:problem:"), problem.toString());
    assertFalse(problem.getString("title").isBlank());
    assertFalse(
        response.body().contains("Exception"),
        "no stack trace or exception class: " + response.body());
    return problem;
  }
}
