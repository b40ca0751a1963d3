package dev.stevedore.client;

import dev.stevedore.security.TenantRequest;
import dev.stevedore.security.TenantView;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.util.List;

/** Tenants and their quotas ({@code /api/v1/tenants}), for administrators. */
@Path("/tenants")
@Produces(MediaType.APPLICATION_JSON)
public interface TenantsApi {

  @POST
  @Consumes(MediaType.APPLICATION_JSON)
  TenantView create(TenantRequest request) throws StevedoreException;

  @GET
  List<TenantView> list() throws StevedoreException;

  @GET
  @Path("{id}")
  TenantView get(@PathParam("id") String id) throws StevedoreException;

  /** Changes the name or quotas; null quotas go back to the server's defaults. */
  @PUT
  @Path("{id}")
  @Consumes(MediaType.APPLICATION_JSON)
  TenantView update(@PathParam("id") String id, TenantRequest request) throws StevedoreException;
}
