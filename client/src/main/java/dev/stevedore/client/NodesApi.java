package dev.stevedore.client;

import dev.stevedore.node.NodeView;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.util.List;

/** The installation's nodes ({@code /api/v1/nodes}); draining is for operators. */
@Path("/nodes")
@Produces(MediaType.APPLICATION_JSON)
public interface NodesApi {

  @GET
  List<NodeView> list() throws StevedoreException;

  /** Stops the node claiming new work; its running jobs finish. */
  @POST
  @Path("{name}/drain")
  NodeView drain(@PathParam("name") String name) throws StevedoreException;

  @POST
  @Path("{name}/undrain")
  NodeView undrain(@PathParam("name") String name) throws StevedoreException;
}
