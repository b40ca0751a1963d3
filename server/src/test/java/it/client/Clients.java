package it.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import it.support.Api;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.HttpMethod;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Response;
import java.lang.annotation.Annotation;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
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
   * Checks that every method of a client interface is a route of the resource class: the same HTTP
   * method and path, parameters the resource reads, and the same answer type where the resource
   * names one (rather than a bare {@code Response}). So the client cannot drift from the resource.
   */
  static void assertMirrors(Class<?> client, Class<?> resource) {
    assertEquals(path(client), path(resource), "the resource's path");
    for (Method method : client.getMethods()) {
      String route = httpMethod(method) + " " + path(method);
      List<Method> served =
          Arrays.stream(resource.getMethods())
              .filter(m -> httpMethod(m) != null)
              .filter(m -> route.equals(httpMethod(m) + " " + path(m)))
              .toList();
      assertTrue(
          !served.isEmpty(), route + " (" + method.getName() + ") is no route of " + resource);
      Set<String> read =
          served.stream().flatMap(m -> parameters(m).stream()).collect(Collectors.toSet());
      assertTrue(
          read.containsAll(parameters(method)),
          route + ": " + parameters(method) + " are not all read by the resource: " + read);
      Set<Class<?>> answers =
          served.stream().map(Method::getReturnType).collect(Collectors.toSet());
      assertTrue(
          answers.contains(Response.class) || answers.contains(method.getReturnType()),
          route + " answers " + answers + ", the client reads " + method.getReturnType());
    }
  }

  /** The names of the path, query and header parameters of a route. */
  private static List<String> parameters(Method method) {
    List<String> names = new ArrayList<>();
    for (Annotation[] annotations : method.getParameterAnnotations()) {
      for (Annotation annotation : annotations) {
        if (annotation instanceof PathParam p) {
          names.add("path " + p.value());
        } else if (annotation instanceof QueryParam q) {
          names.add("query " + q.value());
        } else if (annotation instanceof HeaderParam h) {
          names.add("header " + h.value().toLowerCase(java.util.Locale.ROOT));
        }
      }
    }
    return names;
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
