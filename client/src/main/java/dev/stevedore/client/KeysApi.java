package dev.stevedore.client;

import dev.stevedore.security.ApiKeyView;
import dev.stevedore.security.KeyRequest;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.util.List;

/** API keys ({@code /api/v1/keys}), for administrators. */
@Path("/keys")
@Produces(MediaType.APPLICATION_JSON)
public interface KeysApi {

  /** Makes a key; the answer's {@code key} is its secret, shown this once. */
  @POST
  @Consumes(MediaType.APPLICATION_JSON)
  ApiKeyView create(KeyRequest request) throws StevedoreException;

  @GET
  List<ApiKeyView> list() throws StevedoreException;

  @DELETE
  @Path("{id}")
  ApiKeyView revoke(@PathParam("id") String id) throws StevedoreException;
}
