package dev.stevedore.security;

import dev.stevedore.core.Audited;
import dev.stevedore.core.Role;
import jakarta.annotation.security.RolesAllowed;
import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
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

/** Tenants and their quotas, for administrators. */
@Path("/tenants")
@RequestScoped
@RolesAllowed(Role.ADMIN_NAME)
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Tenants", description = "Tenants and their quotas")
@APIResponse(responseCode = "400", ref = "Invalid")
public class TenantResource {

  @Inject TenantService tenants;

  @POST
  @Consumes(MediaType.APPLICATION_JSON)
  @Audited("tenant.create")
  @Operation(summary = "Make a tenant", description = "Quotas left out take the server's defaults.")
  @APIResponseSchema(value = TenantView.class, responseCode = "201", responseDescription = "Made")
  public Response create(TenantRequest request) {
    return Response.status(Response.Status.CREATED).entity(tenants.create(request)).build();
  }

  @GET
  @Operation(summary = "List tenants")
  @APIResponse(responseCode = "200", description = "The tenants")
  public List<TenantView> list() {
    return tenants.list();
  }

  @GET
  @Path("{id}")
  @Operation(summary = "One tenant")
  @APIResponse(responseCode = "404", ref = "NotFound")
  @APIResponse(responseCode = "200", description = "The tenant")
  public TenantView get(@PathParam("id") String id) {
    return tenants.get(id);
  }

  @PUT
  @Path("{id}")
  @Consumes(MediaType.APPLICATION_JSON)
  @Audited("tenant.update")
  @Operation(summary = "Change a tenant's name or quotas")
  @APIResponse(responseCode = "404", ref = "NotFound")
  @APIResponse(responseCode = "200", description = "Changed")
  public TenantView update(@PathParam("id") @Audited.Target String id, TenantRequest request) {
    return tenants.update(id, request);
  }
}
