package dev.stevedore.rest;

import jakarta.servlet.RequestDispatcher;
import jakarta.servlet.annotation.WebServlet;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.ws.rs.core.Response;

/**
 * What answers where neither the API nor a stream does: the application serves no files, so a path
 * that is neither is a 404 problem (rather than the container's file-not-found page, which names
 * its classes and records an incident), and it is the error page (web.xml) for whatever the
 * container refuses itself, such as a badly encoded path: a problem of the container's status.
 */
@WebServlet("/")
public class FallbackServlet extends HttpServlet {
  private static final long serialVersionUID = 1L;

  @Override
  protected void service(HttpServletRequest request, HttpServletResponse response) {
    SecurityHeaders.apply(response);
    response.resetBuffer();
    if (request.getAttribute(RequestDispatcher.ERROR_STATUS_CODE) instanceof Integer status) {
      ServletProblems.send(response, forStatus(status >= 400 ? status : 500, null));
      return;
    }
    String path = request.getRequestURI().substring(request.getContextPath().length());
    ServletProblems.send(response, forStatus(404, path));
  }

  private static Problem forStatus(int status, String instance) {
    if (status >= 500) {
      return ServletProblems.problem(
          status, "internal-error", "Internal server error", null, instance);
    }
    Response.StatusType known = Response.Status.fromStatusCode(status);
    String title = known != null ? known.getReasonPhrase() : "HTTP " + status;
    return ServletProblems.problem(status, "http-" + status, title, null, instance);
  }
}
