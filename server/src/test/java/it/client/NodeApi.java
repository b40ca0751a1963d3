package it.client;

import dev.stevedore.node.NodeResource;
import dev.stevedore.node.NodeStatus;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

/**
 * {@link NodeResource} as a client calls it, in the application's own types. A client proxy needs
 * an interface and the resource is a class, so its route is declared again here; {@link
 * Clients#assertMirrors} checks that it is the resource's.
 */
@Path("/node")
@Produces(MediaType.APPLICATION_JSON)
public interface NodeApi {

  @GET
  NodeStatus status();
}
