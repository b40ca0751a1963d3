package dev.stevedore.security;

import dev.stevedore.core.Audited;
import dev.stevedore.core.InvalidInputException;
import dev.stevedore.core.Role;
import jakarta.annotation.security.RolesAllowed;
import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponseSchema;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** API keys, for administrators. */
@Path("/keys")
@RequestScoped
@RolesAllowed(Role.ADMIN_NAME)
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Keys", description = "API keys and their roles")
@APIResponse(responseCode = "400", ref = "Invalid")
public class KeyResource {

  @Inject ApiKeyService keys;

  @POST
  @Consumes(MediaType.APPLICATION_JSON)
  @Audited("key.create")
  @Operation(
      summary = "Make a key",
      description =
          "The answer holds the key itself in 'key': it is shown this once and never stored.")
  @APIResponseSchema(
      value = ApiKeyView.class,
      responseCode = "201",
      responseDescription = "Made; 'key' holds the key this once")
  public Response create(KeyRequest request) {
    KeyRequest asked = request == null ? new KeyRequest(null, null, null) : request;
    ApiKeyView made = keys.create(asked.name(), roleOf(asked), asked.tenant());
    return Response.status(Response.Status.CREATED).entity(made).build();
  }

  @GET
  @Operation(summary = "List keys", description = "Without their secrets, which are not stored.")
  @APIResponse(responseCode = "200", description = "The keys")
  public List<ApiKeyView> list() {
    return keys.list();
  }

  @DELETE
  @Path("{id}")
  @Audited("key.revoke")
  @Operation(summary = "Revoke a key", description = "It is refused from then on.")
  @APIResponse(responseCode = "200", description = "Revoked")
  @APIResponse(responseCode = "404", ref = "NotFound")
  public ApiKeyView revoke(@PathParam("id") @Audited.Target String id) {
    return keys.revoke(id);
  }

  private static Role roleOf(KeyRequest request) {
    try {
      return Role.parse(request.role());
    } catch (IllegalArgumentException e) {
      throw InvalidInputException.forField("role", e.getMessage());
    }
  }
}
