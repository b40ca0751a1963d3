package dev.stevedore.security;

import dev.stevedore.rest.Problem;
import dev.stevedore.rest.SecurityHeaders;
import dev.stevedore.rest.ServletProblems;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.annotation.WebFilter;
import jakarta.servlet.http.HttpFilter;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;

/**
 * The door of the REST API. Every request under {@code /api} gets the security headers; one without
 * a valid key gets the same 401 problem whatever it asked for (no route, method or media type is
 * looked at before, so an unauthenticated caller learns nothing about the API); an authenticated
 * request for a path outside {@code /api/v1} gets a 404 problem rather than the container's error
 * page.
 */
@WebFilter("/api/*")
public class ApiAccessFilter extends HttpFilter {
  private static final long serialVersionUID = 1L;

  static final String API_ROOT = "/api/v1";

  /** The same for every way of not having a valid key, so that none can be told apart. */
  private static final Problem UNAUTHORIZED =
      ServletProblems.problem(
          401,
          "unauthorized",
          "Authentication required",
          "Send a valid API key as 'Authorization: Bearer <key>'",
          null);

  static boolean isApi(String path) {
    return path.equals("/api") || path.startsWith("/api/");
  }

  @Override
  protected void doFilter(
      HttpServletRequest request, HttpServletResponse response, FilterChain chain)
      throws IOException, ServletException {
    SecurityHeaders.apply(response);
    if (request.getUserPrincipal() == null) {
      unauthorized(response);
      return;
    }
    String path = request.getRequestURI().substring(request.getContextPath().length());
    if (!path.equals(API_ROOT) && !path.startsWith(API_ROOT + "/")) {
      ServletProblems.send(
          response, ServletProblems.problem(404, "http-404", "Not Found", null, path));
      return;
    }
    chain.doFilter(request, response);
  }

  private static void unauthorized(HttpServletResponse response) {
    response.setHeader("WWW-Authenticate", "Bearer realm=\"stevedore\"");
    ServletProblems.send(response, UNAUTHORIZED);
  }
}
