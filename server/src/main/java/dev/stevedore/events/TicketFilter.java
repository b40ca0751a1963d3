package dev.stevedore.events;

import dev.stevedore.core.JobId;
import dev.stevedore.job.JobRepository;
import dev.stevedore.rest.Problem;
import dev.stevedore.rest.SecurityHeaders;
import dev.stevedore.rest.ServletProblems;
import dev.stevedore.security.OriginPolicy;
import dev.stevedore.security.Tickets;
import jakarta.inject.Inject;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.annotation.WebFilter;
import jakarta.servlet.http.HttpFilter;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.websocket.Session;
import java.io.IOException;
import java.security.Principal;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Refuses a WebSocket handshake before the upgrade, each time with one problem document: 401
 * without a valid ticket or key ({@code Authorization: Bearer}), before anything about the path is
 * looked at; 403 for a page of an origin that is not allowed; 404 for a path that is no stream, or
 * a job the caller's tenant cannot see (as for a job that does not exist); 426 for a request that
 * is no WebSocket handshake. The endpoint then takes the access over with {@link #access}.
 */
@WebFilter("/ws/*")
public class TicketFilter extends HttpFilter {
  private static final long serialVersionUID = 1L;

  private static final Pattern JOB_LOGS = Pattern.compile("/ws/jobs/([^/]+)/logs");
  private static final Pattern SANDBOX_EXEC = Pattern.compile("/ws/sandboxes/([^/]+)/exec");
  private static final String EVENTS = "/ws/events";
  private static final Problem UNAUTHORIZED =
      ServletProblems.problem(
          401,
          "unauthorized",
          "Authentication required",
          "Open the stream with a ticket from POST /api/v1/tickets (?ticket=…), or send"
              + " 'Authorization: Bearer <key>'",
          null);

  @Inject Tickets tickets;
  @Inject JobRepository jobs;
  @Inject OriginPolicy origins;
  @Inject dev.stevedore.sandbox.SandboxService sandboxes;

  @Override
  protected void doFilter(
      HttpServletRequest request, HttpServletResponse response, FilterChain chain)
      throws IOException, ServletException {
    SecurityHeaders.apply(response);
    String ticket = request.getParameter("ticket");
    Principal key = request.getUserPrincipal();
    Optional<Tickets.Access> access =
        key != null ? tickets.forKey(key.getName()) : tickets.redeem(ticket);
    if (access.isEmpty()) {
      response.setHeader("WWW-Authenticate", "Bearer realm=\"stevedore\"");
      ServletProblems.send(response, UNAUTHORIZED);
      return;
    }
    Problem refusal = refusal(request, access.get());
    if (refusal != null) {
      if (key == null) {
        tickets.claim(ticket); // the handshake will not happen: its admission goes
      }
      if (refusal.status() == 426) {
        response.setHeader("Upgrade", "websocket");
      }
      ServletProblems.send(response, refusal);
      return;
    }
    chain.doFilter(request, response);
  }

  /** Why an authenticated handshake is refused, or null. */
  private Problem refusal(HttpServletRequest request, Tickets.Access access) {
    String path = path(request);
    String origin = request.getHeader("Origin");
    if (!origins.allows(origin, request.getScheme(), request.getHeader("Host"))) {
      return ServletProblems.problem(
          403,
          "origin-not-allowed",
          "Origin not allowed",
          "Streams open only from this server's own origin or one its configuration allows",
          path);
    }
    Matcher logs = JOB_LOGS.matcher(path);
    if (logs.matches()) {
      JobId id = jobId(logs.group(1));
      if (id == null || jobs.find(id, access.tenantScope()).isEmpty()) {
        return ServletProblems.problem(
            404, "job-not-found", "No such job", "There is no job with that id", path);
      }
    } else if (SANDBOX_EXEC.matcher(path).matches()) {
      String id = SANDBOX_EXEC.matcher(path).replaceFirst("$1");
      if (!sandboxes.isVisible(id, access.tenantScope())) {
        return ServletProblems.problem(
            404, "not-found", "No such sandbox", "There is no sandbox with that id", path);
      }
      if (!access.role().includes(dev.stevedore.core.Role.SUBMITTER)) {
        return ServletProblems.problem(
            403, "forbidden", "Forbidden", "Running commands needs the submitter role", path);
      }
    } else if (!path.equals(EVENTS)) {
      return ServletProblems.problem(404, "http-404", "Not Found", null, path);
    }
    String upgrade = request.getHeader("Upgrade");
    if (!"GET".equals(request.getMethod())
        || upgrade == null
        || !upgrade.toLowerCase(Locale.ROOT).contains("websocket")) {
      return ServletProblems.problem(
          426,
          "upgrade-required",
          "WebSocket handshake required",
          "Open this path as a WebSocket",
          path);
    }
    return null;
  }

  private static String path(HttpServletRequest request) {
    return request.getRequestURI().substring(request.getContextPath().length());
  }

  /**
   * The access of a connection the filter let through: that of its key when the handshake carried
   * one, else the one its ticket was redeemed for.
   */
  static Optional<Tickets.Access> access(Tickets tickets, Session session) {
    Principal key = session.getUserPrincipal();
    if (key != null) {
      return tickets.forKey(key.getName());
    }
    List<String> values = session.getRequestParameterMap().get("ticket");
    return tickets.claim(values == null || values.isEmpty() ? null : values.get(0));
  }

  static JobId jobId(String text) {
    try {
      return new JobId(text.toLowerCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      return null;
    }
  }
}
