package it;

import static it.support.Api.get;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import it.support.Api;
import jakarta.json.JsonObject;
import jakarta.ws.rs.ApplicationPath;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.HttpMethod;
import jakarta.ws.rs.Path;
import java.io.IOException;
import java.lang.reflect.Method;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The served contract documents every resource method of the application, found by reflection over
 * the compiled classes: a new endpoint without documentation fails here.
 */
class OpenApiIT {

  private static final Set<String> VERBS = Set.of("get", "post", "put", "delete", "patch");

  /** One resource method: verb, full path, and what it consumes. */
  record Endpoint(String verb, String path, List<String> consumes) {}

  @Test
  void everyResourceMethodIsDocumentedWithItsAnswers() throws Exception {
    JsonObject paths = document().getJsonObject("paths");
    List<Endpoint> endpoints = endpoints();
    assertTrue(endpoints.size() > 20, "found " + endpoints);

    Set<String> code = new TreeSet<>();
    for (Endpoint endpoint : endpoints) {
      String where = endpoint.verb().toUpperCase(Locale.ROOT) + " " + endpoint.path();
      code.add(where);
      assertTrue(paths.containsKey(endpoint.path()), "undocumented path: " + where);
      JsonObject operation = paths.getJsonObject(endpoint.path()).getJsonObject(endpoint.verb());
      assertTrue(operation != null, "undocumented method: " + where);
      assertFalse(operation.getString("summary", "").isBlank(), "no summary: " + where);

      JsonObject responses = operation.getJsonObject("responses");
      List<String> success =
          responses.keySet().stream().filter(status -> status.startsWith("2")).toList();
      assertFalse(success.isEmpty(), "no success answer: " + where);
      for (String status : success) {
        if (!status.equals("204")) {
          assertTrue(
              responses.getJsonObject(status).containsKey("content"),
              "answer " + status + " without a schema: " + where);
        }
      }
      for (String status : List.of("401", "403", "429")) {
        assertTrue(responses.containsKey(status), "no " + status + ": " + where);
      }
      if (endpoint.path().contains("{id}")) {
        assertTrue(responses.containsKey("404"), "no 404: " + where);
      }
      for (String mediaType : endpoint.consumes()) {
        assertTrue(
            operation.containsKey("requestBody")
                && operation
                    .getJsonObject("requestBody")
                    .getJsonObject("content")
                    .containsKey(mediaType),
            "request body " + mediaType + " undocumented: " + where);
      }
    }

    Set<String> documented = new TreeSet<>();
    paths.forEach(
        (path, item) ->
            item.asJsonObject().keySet().stream()
                .filter(VERBS::contains)
                .forEach(verb -> documented.add(verb.toUpperCase(Locale.ROOT) + " " + path)));
    assertEquals(code, documented, "documented operations that no resource method serves");
  }

  @Test
  void errorsAreProblemDocumentsAndTheKeyIsTheSecurityScheme() {
    JsonObject document = document();
    JsonObject components = document.getJsonObject("components");
    for (String name :
        List.of("Invalid", "Unauthorized", "Forbidden", "NotFound", "TooManyRequests")) {
      assertTrue(
          components
              .getJsonObject("responses")
              .getJsonObject(name)
              .getJsonObject("content")
              .containsKey("application/problem+json"),
          name);
    }
    assertEquals(
        "bearer",
        components.getJsonObject("securitySchemes").getJsonObject("apiKey").getString("scheme"));
    assertTrue(document.getJsonArray("security").toString().contains("apiKey"));
  }

  @Test
  void userInterfaceIsServed() {
    assertEquals(200, get("/openapi/ui/").statusCode());
  }

  private static JsonObject document() {
    HttpResponse<String> response = get("/openapi?format=JSON");
    assertEquals(200, response.statusCode());
    return Api.json(response);
  }

  /** Every JAX-RS resource method of the compiled application. */
  private static List<Endpoint> endpoints() throws IOException, ClassNotFoundException {
    java.nio.file.Path classes = Paths.get("target", "classes");
    String root = null;
    List<Class<?>> resources = new ArrayList<>();
    try (Stream<java.nio.file.Path> files = Files.walk(classes)) {
      for (java.nio.file.Path file : files.filter(f -> f.toString().endsWith(".class")).toList()) {
        String name =
            classes.relativize(file).toString().replace('/', '.').replaceAll("\\.class$", "");
        Class<?> type = Class.forName(name, false, OpenApiIT.class.getClassLoader());
        if (type.isAnnotationPresent(ApplicationPath.class)) {
          root = type.getAnnotation(ApplicationPath.class).value();
        }
        if (type.isAnnotationPresent(Path.class)) {
          resources.add(type);
        }
      }
    }
    List<Endpoint> endpoints = new ArrayList<>();
    for (Class<?> resource : resources) {
      for (Method method : resource.getDeclaredMethods()) {
        String verb = verb(method);
        if (verb == null) {
          continue;
        }
        String path = join(root, resource.getAnnotation(Path.class).value());
        if (method.isAnnotationPresent(Path.class)) {
          path = join(path, method.getAnnotation(Path.class).value());
        }
        Consumes consumes = method.getAnnotation(Consumes.class);
        endpoints.add(
            new Endpoint(verb, path, consumes == null ? List.of() : List.of(consumes.value())));
      }
    }
    return endpoints;
  }

  private static String verb(Method method) {
    for (var annotation : method.getAnnotations()) {
      HttpMethod http = annotation.annotationType().getAnnotation(HttpMethod.class);
      if (http != null) {
        return http.value().toLowerCase(Locale.ROOT);
      }
    }
    return null;
  }

  /** Joins path pieces as JAX-RS does, dropping template regexes: {path: .+} is {path}. */
  private static String join(String base, String piece) {
    String clean = piece.replaceAll("\\{\\s*(\\w+)\\s*:[^}]*}", "{$1}").replaceAll("^/|/$", "");
    String joined = base.replaceAll("/$", "") + (clean.isEmpty() ? "" : "/" + clean);
    return joined.startsWith("/") ? joined : "/" + joined;
  }
}
