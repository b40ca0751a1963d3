package dev.stevedore.events;

import dev.stevedore.job.JobId;
import dev.stevedore.job.JobRepository;
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
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Refuses a WebSocket handshake before the upgrade: 401 without a valid ticket, 404 for a job the
 * ticket's tenant cannot see (as for a job that does not exist). The endpoint then uses the ticket
 * up.
 */
@WebFilter("/ws/*")
public class TicketFilter extends HttpFilter {

  private static final Pattern JOB_LOGS = Pattern.compile("/ws/jobs/([^/]+)/logs");

  @Inject Tickets tickets;
  @Inject JobRepository jobs;

  @Override
  protected void doFilter(
      HttpServletRequest request, HttpServletResponse response, FilterChain chain)
      throws IOException, ServletException {
    Optional<Tickets.Access> access = tickets.redeem(request.getParameter("ticket"));
    if (access.isEmpty()) {
      response.sendError(HttpServletResponse.SC_UNAUTHORIZED);
      return;
    }
    Matcher logs =
        JOB_LOGS.matcher(request.getRequestURI().substring(request.getContextPath().length()));
    if (logs.matches()) {
      JobId id = jobId(logs.group(1));
      if (id == null || jobs.find(id, access.get().tenantScope()).isEmpty()) {
        response.sendError(HttpServletResponse.SC_NOT_FOUND);
        return;
      }
    }
    chain.doFilter(request, response);
  }

  static String ticketOf(Session session) {
    List<String> values = session.getRequestParameterMap().get("ticket");
    return values == null || values.isEmpty() ? null : values.get(0);
  }

  static JobId jobId(String text) {
    try {
      return new JobId(text.toLowerCase(java.util.Locale.ROOT));
    } catch (IllegalArgumentException e) {
      return null;
    }
  }
}
