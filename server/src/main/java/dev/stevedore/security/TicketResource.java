package dev.stevedore.security;

import dev.stevedore.core.Role;
import jakarta.annotation.security.RolesAllowed;
import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** Tickets for the WebSocket endpoints. */
@Path("/tickets")
@RequestScoped
@RolesAllowed(Role.VIEWER_NAME)
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Streams", description = "Live logs and events over WebSocket")
public class TicketResource {

  @Inject Tickets tickets;
  @Inject Caller caller;

  @POST
  @Operation(
      summary = "A ticket to open a WebSocket",
      description =
          "Valid for 60 seconds and one connection: ws://host/ws/jobs/{id}/logs?ticket=… or"
              + " ws://host/ws/events?ticket=…. It carries this key's tenant and role. Clients"
              + " that can send headers may instead open the socket with 'Authorization: Bearer"
              + " <key>'.")
  public Tickets.Ticket issue() {
    return tickets.issue(caller);
  }
}
