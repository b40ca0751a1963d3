package it.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import it.support.Api;
import jakarta.ws.rs.HttpMethod;
import jakarta.ws.rs.Path;
import java.lang.annotation.Annotation;
import java.lang.reflect.Method;
import java.util.Arrays;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.cxf.jaxrs.client.WebClient;

/** What the typed clients of these tests share. */
final class Clients {

  private Clients() {}

  /**
   * Signs a client in with the administrator's key: the API takes keys as bearer tokens, which
   * MicroShed Testing's annotations (JWT, basic) do not make. The client keeps the header for every
   * later call.
   */
  static <T> T signedIn(T client) {
    WebClient.client(client).header("Authorization", "Bearer " + Api.ADMIN_KEY);
    return client;
  }

  /**
   * Checks that every route of a client interface is a route of the resource class, with the same
   * HTTP method, path and answer type, so that the client cannot drift from the resource.
   */
  static void assertMirrors(Class<?> client, Class<?> resource) {
    assertEquals(path(client), path(resource), "the resource's path");
    Set<String> routes =
        Arrays.stream(resource.getMethods())
            .filter(m -> httpMethod(m) != null)
            .map(Clients::route)
            .collect(Collectors.toSet());
    for (Method method : client.getMethods()) {
      assertTrue(routes.contains(route(method)), route(method) + " is no route of " + resource);
    }
  }

  private static String route(Method method) {
    String answer = method.getReturnType().getSimpleName();
    return httpMethod(method) + " " + path(method) + " -> " + answer + " " + method.getName();
  }

  private static String path(java.lang.reflect.AnnotatedElement element) {
    Path path = element.getAnnotation(Path.class);
    return path == null ? "" : path.value();
  }

  private static String httpMethod(Method method) {
    for (Annotation annotation : method.getAnnotations()) {
      HttpMethod http = annotation.annotationType().getAnnotation(HttpMethod.class);
      if (http != null) {
        return http.value();
      }
    }
    return null;
  }
}
