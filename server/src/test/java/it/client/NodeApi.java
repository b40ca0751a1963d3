package it.client;

import dev.stevedore.node.NodeResource;
import dev.stevedore.node.NodeStatus;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

/** {@link NodeResource} as a client calls it (see {@link JobsApi} for why it is declared again). */
@Path("/node")
@Produces(MediaType.APPLICATION_JSON)
public interface NodeApi {

  @GET
  NodeStatus status();
}
