package dev.stevedore.audit;

import dev.stevedore.core.InvalidInputException;
import dev.stevedore.core.Role;
import jakarta.annotation.security.RolesAllowed;
import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import java.time.Instant;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** The audit log, for administrators. */
@Path("/audit")
@RequestScoped
@RolesAllowed(Role.ADMIN_NAME)
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Audit", description = "Who did what, when, from where")
@APIResponse(responseCode = "400", ref = "Invalid")
public class AuditResource {

  @Inject AuditLog audit;

  @GET
  @Operation(summary = "Audit entries, newest first")
  @APIResponse(responseCode = "200", description = "The entries")
  public List<AuditLog.Entry> find(
      @Parameter(description = "ISO-8601 instant, inclusive") @QueryParam("since") Instant since,
      @Parameter(description = "ISO-8601 instant, exclusive") @QueryParam("until") Instant until,
      @Parameter(description = "A key id") @QueryParam("actor") String actor,
      @Parameter(description = "1 to 1000") @QueryParam("limit") @DefaultValue("100") int limit) {
    if (limit < 1 || limit > 1000) {
      throw InvalidInputException.forField("limit", "must be between 1 and 1000");
    }
    return audit.find(since, until, actor, limit);
  }
}
