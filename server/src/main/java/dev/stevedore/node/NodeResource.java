package dev.stevedore.node;

import dev.stevedore.core.Role;
import jakarta.annotation.security.RolesAllowed;
import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** This node's resources, for load balancers and operators. */
@Path("/node")
@RequestScoped
@RolesAllowed(Role.VIEWER_NAME)
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Node", description = "This node's resources and load")
public class NodeResource {

  @Inject NodeSampler sampler;

  @GET
  @Operation(
      summary = "This node's resources and load",
      description =
          "CPU load (1, 5, 15 minutes), memory, the data directory's disk, the Docker engine, job"
              + " counts and one capacity figure to sort nodes by. Served from values sampled every"
              + " few seconds; the figures are the node's, the same for every tenant.")
  @APIResponse(
      responseCode = "200",
      description = "The node's status",
      content = @Content(schema = @Schema(implementation = NodeStatus.class)))
  public NodeStatus status() {
    return sampler.status();
  }

  @GET
  @jakarta.ws.rs.Path("history")
  @Operation(
      summary = "This node's samples of the last hour",
      description =
          "CPU load, memory, free disk and job counts as sampled every few seconds, oldest first;"
              + " kept in memory, so a restarted node starts a new hour.")
  @APIResponse(
      responseCode = "200",
      description = "The samples",
      content = @Content(schema = @Schema(implementation = NodeHistory.class)))
  public NodeHistory history() {
    return sampler.history();
  }
}
