package dev.stevedore.client;

import dev.stevedore.security.Me;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

/** Who the caller is ({@code /api/v1/me}). */
@Path("/me")
@Produces(MediaType.APPLICATION_JSON)
public interface MeApi {

  @GET
  Me me() throws StevedoreException;
}
