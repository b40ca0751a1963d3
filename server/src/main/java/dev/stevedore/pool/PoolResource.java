package dev.stevedore.pool;

import dev.stevedore.core.Audited;
import dev.stevedore.core.Role;
import jakarta.annotation.security.RolesAllowed;
import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
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

/** Warm pools: administrators define them, every role sees the ones its tenant may use. */
@Path("/pools")
@RequestScoped
@RolesAllowed(Role.VIEWER_NAME)
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Pools", description = "Containers kept started for the jobs that name them")
@APIResponse(responseCode = "400", ref = "Invalid")
public class PoolResource {

  @Inject PoolService pools;

  @POST
  @RolesAllowed(Role.ADMIN_NAME)
  @Consumes(MediaType.APPLICATION_JSON)
  @Audited("pool.create")
  @Operation(
      summary = "Define a pool",
      description = "Each node starts 'size' containers of it and keeps them warm.")
  @APIResponseSchema(
      value = PoolView.class,
      responseCode = "201",
      responseDescription = "Defined, with the defaults filled in")
  @APIResponse(responseCode = "409", ref = "Conflict")
  public Response create(PoolSpec spec) {
    PoolView created = pools.create(spec);
    return Response.status(Response.Status.CREATED)
        .header("Location", "/api/v1/pools/" + created.name())
        .entity(created)
        .build();
  }

  @GET
  @Operation(summary = "List pools with their containers' counts")
  @APIResponse(responseCode = "200", description = "The pools")
  public List<PoolView> list() {
    return pools.list();
  }

  @GET
  @Path("{name}")
  @Operation(summary = "A pool: its definition, and warm, busy, starting, failed, hits, misses")
  @APIResponse(responseCode = "200", description = "The pool")
  @APIResponse(responseCode = "404", ref = "NotFound")
  public PoolView get(@PathParam("name") String name) {
    return pools.get(name);
  }

  @PUT
  @Path("{name}")
  @RolesAllowed(Role.ADMIN_NAME)
  @Consumes(MediaType.APPLICATION_JSON)
  @Audited("pool.replace")
  @Operation(
      summary = "Replace a pool's definition",
      description = "Free containers of the old definition are replaced now, busy ones when free.")
  @APIResponse(responseCode = "200", description = "The pool as now defined")
  @APIResponse(responseCode = "404", ref = "NotFound")
  public PoolView replace(@PathParam("name") @Audited.Target String name, PoolSpec spec) {
    return pools.replace(name, spec);
  }

  @DELETE
  @Path("{name}")
  @RolesAllowed(Role.ADMIN_NAME)
  @Audited("pool.delete")
  @Operation(
      summary = "Remove a pool",
      description =
          "Its free containers are removed now, busy ones when their job ends; queued jobs that"
              + " name it fail when they would start.")
  @APIResponse(responseCode = "204", description = "Removed")
  @APIResponse(responseCode = "404", ref = "NotFound")
  public Response delete(@PathParam("name") @Audited.Target String name) {
    pools.delete(name);
    return Response.noContent().build();
  }
}
