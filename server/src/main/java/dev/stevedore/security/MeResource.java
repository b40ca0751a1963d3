package dev.stevedore.security;

import dev.stevedore.core.Role;
import jakarta.annotation.security.RolesAllowed;
import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponseSchema;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** Who the caller is: what a client (the dashboard) needs to show only what the key may do. */
@Path("/me")
@RequestScoped
@RolesAllowed(Role.VIEWER_NAME)
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Keys", description = "API keys and the caller's own")
public class MeResource {

  @Inject Caller caller;

  @GET
  @Operation(summary = "The caller's key, tenant and role")
  @APIResponseSchema(value = Me.class, responseDescription = "The caller")
  public Me me() {
    return new Me(caller.keyId(), caller.keyName(), caller.tenantId(), caller.role().roleName());
  }
}
