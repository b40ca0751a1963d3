package it;

import static it.support.Api.get;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import it.support.Api;
import jakarta.json.JsonObject;
import java.net.http.HttpResponse;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The API contract is served and names every endpoint with its errors. */
class OpenApiIT {

  @Test
  void documentDescribesTheJobEndpoints() {
    HttpResponse<String> response = get("/openapi?format=JSON");
    assertEquals(200, response.statusCode());
    JsonObject paths = Api.json(response).getJsonObject("paths");

    for (String path :
        List.of(
            "/api/v1/jobs",
            "/api/v1/jobs/{id}",
            "/api/v1/jobs/{id}/cancel",
            "/api/v1/jobs/{id}/logs")) {
      assertTrue(paths.containsKey(path), "documented: " + path + " in " + paths.keySet());
    }
    JsonObject submit = paths.getJsonObject("/api/v1/jobs").getJsonObject("post");
    assertTrue(submit.getJsonObject("responses").containsKey("201"));
    assertTrue(submit.getJsonObject("responses").containsKey("400"));
  }

  @Test
  void userInterfaceIsServed() {
    assertEquals(200, get("/openapi/ui/").statusCode());
  }
}
