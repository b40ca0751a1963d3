package dev.stevedore.cleanup;

import dev.stevedore.core.Audited;
import dev.stevedore.core.InvalidInputException;
import dev.stevedore.core.Role;
import jakarta.annotation.security.RolesAllowed;
import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import java.time.Instant;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** Administrators' actions. */
@Path("/admin")
@RequestScoped
@RolesAllowed(Role.ADMIN_NAME)
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Administration")
public class AdminResource {

  @Inject FileRetention retention;

  @POST
  @Path("cleanup")
  @Audited("cleanup")
  @Operation(
      summary = "Remove the files of ended jobs now",
      description =
          "Deletes inputs, outputs and logs of jobs that ended before the cut-off (by default,"
              + " the retention period ago). The jobs stay listed.")
  @APIResponse(responseCode = "200", description = "How many jobs' files were removed")
  public FileRetention.Report cleanup(
      @Parameter(description = "ISO-8601 instant; default: now less the retention period")
          @QueryParam("finishedBefore")
          Instant finishedBefore) {
    Instant cutoff = finishedBefore == null ? retention.defaultCutoff() : finishedBefore;
    if (cutoff.isAfter(Instant.now())) {
      throw InvalidInputException.forField("finishedBefore", "must not be in the future");
    }
    return retention.clean(cutoff);
  }
}
