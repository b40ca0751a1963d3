package dev.stevedore.node;

import dev.stevedore.core.Audited;
import dev.stevedore.core.Role;
import jakarta.annotation.security.RolesAllowed;
import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponseSchema;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** Every node of the installation, and draining one. */
@Path("/nodes")
@RequestScoped
@RolesAllowed(Role.VIEWER_NAME)
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Node", description = "This node's resources and load")
public class NodesResource {

  @Inject NodeService nodes;

  @GET
  @Operation(
      summary = "The nodes of the installation",
      description =
          "Each with its state (UP, DRAINING, DEAD), slots, running jobs, load averages and free"
              + " disk as of its last heartbeat, by name. Any node answers for all of them.")
  @APIResponseSchema(value = NodeView[].class, responseDescription = "The nodes")
  public List<NodeView> list() {
    return nodes.list();
  }

  @POST
  @Path("{name}/drain")
  @RolesAllowed(Role.OPERATOR_NAME)
  @Audited("node.drain")
  @Operation(
      summary = "Drain a node",
      description =
          "The node claims no new work from its next heartbeat on (at once when it is the node"
              + " answering); its running jobs and sandboxes finish. Stop it when its 'running' is"
              + " 0.")
  @APIResponseSchema(value = NodeView.class, responseDescription = "The node, DRAINING")
  @APIResponse(responseCode = "404", ref = "NotFound")
  public NodeView drain(@PathParam("name") @Audited.Target String name) {
    return nodes.drain(name);
  }

  @POST
  @Path("{name}/undrain")
  @RolesAllowed(Role.OPERATOR_NAME)
  @Audited("node.undrain")
  @Operation(summary = "Let a drained node claim work again")
  @APIResponseSchema(value = NodeView.class, responseDescription = "The node, UP")
  @APIResponse(responseCode = "404", ref = "NotFound")
  public NodeView undrain(@PathParam("name") @Audited.Target String name) {
    return nodes.undrain(name);
  }
}
