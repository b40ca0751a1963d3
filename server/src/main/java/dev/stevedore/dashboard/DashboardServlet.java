package dev.stevedore.dashboard;

import dev.stevedore.rest.SecurityHeaders;
import jakarta.servlet.annotation.WebServlet;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.InputStream;
import java.util.Map;

/**
 * Serves the dashboard: its page at {@code /} and its scripts and styles under {@code /app/}, all
 * from the WAR (no CDN), under a Content-Security-Policy that lets the page load and talk to this
 * server only. The page uses the public API and WebSockets like any other client.
 */
@WebServlet(urlPatterns = {"", "/app/*"})
public class DashboardServlet extends HttpServlet {
  private static final long serialVersionUID = 1L;

  /** Scripts, styles and the page from this server only; no inline code; not framed. */
  static final String POLICY =
      "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:;"
          + " connect-src 'self'; font-src 'self'; base-uri 'none'; form-action 'none';"
          + " frame-ancestors 'none'";

  private static final Map<String, String> TYPES =
      Map.of(
          "html", "text/html; charset=utf-8",
          "js", "text/javascript; charset=utf-8",
          "css", "text/css; charset=utf-8",
          "svg", "image/svg+xml",
          "png", "image/png");

  @Override
  protected void doGet(HttpServletRequest request, HttpServletResponse response)
      throws IOException {
    String path =
        request.getServletPath() + (request.getPathInfo() == null ? "" : request.getPathInfo());
    String file = path.isEmpty() || path.equals("/") ? "/app/index.html" : path;
    if (!file.matches("/app/[a-z0-9-]+\\.(html|js|css|svg|png)")) {
      response.sendError(HttpServletResponse.SC_NOT_FOUND);
      return;
    }
    try (InputStream in = getServletContext().getResourceAsStream(file)) {
      if (in == null) {
        response.sendError(HttpServletResponse.SC_NOT_FOUND);
        return;
      }
      String extension = file.substring(file.lastIndexOf('.') + 1);
      response.setContentType(TYPES.get(extension));
      SecurityHeaders.apply(response);
      response.setHeader("Content-Security-Policy", POLICY);
      response.setHeader("X-Frame-Options", "DENY");
      // Not someone's data, unlike an API answer: kept, but asked again, as it changes with the
      // server.
      response.setHeader("Cache-Control", "no-cache");
      in.transferTo(response.getOutputStream());
    }
  }
}
