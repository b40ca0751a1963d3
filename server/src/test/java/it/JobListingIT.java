package it;

import static it.support.Api.get;
import static it.support.Api.json;
import static it.support.Api.submit;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import it.support.Api;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** Listings are newest first, filtered, and paged with a cursor. */
class JobListingIT {

  @Test
  void pagesNewestFirstFilteredByNameAndLabel() {
    String name = "listing-" + UUID.randomUUID().toString().substring(0, 8);
    List<String> submitted = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      String spec =
          Json.createObjectBuilder()
              .add("name", name)
              .add("image", Api.AGENT_IMAGE)
              .add("command", Json.createArrayBuilder().add("true"))
              .add("labels", Json.createObjectBuilder().add("team", i == 1 ? "data" : "web"))
              .build()
              .toString();
      submitted.add(submit(spec).getString("id"));
    }

    JsonObject first = json(get("/api/v1/jobs?name=" + name + "&limit=2"));
    List<String> firstIds = ids(first);
    assertEquals(List.of(submitted.get(2), submitted.get(1)), firstIds);
    assertTrue(first.containsKey("nextCursor"));
    assertFalse(first.getJsonArray("items").getJsonObject(0).containsKey("history"));

    JsonObject second =
        json(get("/api/v1/jobs?name=" + name + "&limit=2&cursor=" + first.getString("nextCursor")));
    assertEquals(List.of(submitted.get(0)), ids(second));
    assertFalse(second.containsKey("nextCursor"));

    JsonObject labelled = json(get("/api/v1/jobs?name=" + name + "&label=team=data"));
    assertEquals(List.of(submitted.get(1)), ids(labelled));

    submitted.forEach(Api::awaitEnd);
    HttpResponse<String> succeeded = get("/api/v1/jobs?name=" + name + "&state=SUCCEEDED");
    assertEquals(3, ids(json(succeeded)).size(), succeeded.body());
    assertEquals(0, ids(json(get("/api/v1/jobs?name=" + name + "&state=QUEUED"))).size());
  }

  @Test
  void idempotencyKeyMakesRetriesCreateOneJob() {
    String key = UUID.randomUUID().toString();
    String spec = Api.shellJob("true");
    var request =
        java.net.http.HttpRequest.newBuilder(Api.uri("/api/v1/jobs"))
            .header("Content-Type", "application/json")
            .header("Idempotency-Key", key);

    HttpResponse<String> first =
        Api.send(request.copy().POST(java.net.http.HttpRequest.BodyPublishers.ofString(spec)));
    HttpResponse<String> again =
        Api.send(request.copy().POST(java.net.http.HttpRequest.BodyPublishers.ofString(spec)));
    HttpResponse<String> otherSpec =
        Api.send(
            request
                .copy()
                .POST(java.net.http.HttpRequest.BodyPublishers.ofString(Api.shellJob("false"))));

    assertEquals(201, first.statusCode(), first.body());
    assertEquals(200, again.statusCode(), again.body());
    assertEquals(json(first).getString("id"), json(again).getString("id"));
    assertEquals(409, otherSpec.statusCode(), otherSpec.body());
    Api.awaitEnd(json(first).getString("id"));
  }

  private static List<String> ids(JsonObject page) {
    return page.getJsonArray("items").getValuesAs(JsonObject.class).stream()
        .map(j -> j.getString("id"))
        .toList();
  }
}
