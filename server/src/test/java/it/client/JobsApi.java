package it.client;

import dev.stevedore.core.JobId;
import dev.stevedore.job.JobPage;
import dev.stevedore.job.JobResource;
import dev.stevedore.job.JobSpec;
import dev.stevedore.job.JobView;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.List;

/**
 * {@link JobResource} as a client calls it, in the application's own types. A JAX-RS client proxy
 * needs an interface and the resource is a class, so its routes are declared again here; {@link
 * Clients#assertMirrors} checks that each one is the resource's.
 */
@Path("/jobs")
@Produces(MediaType.APPLICATION_JSON)
public interface JobsApi {

  @POST
  @Consumes(MediaType.APPLICATION_JSON)
  Response submit(JobSpec spec, @HeaderParam("Idempotency-Key") String idempotencyKey);

  @GET
  JobPage list(
      @QueryParam("name") String name,
      @QueryParam("label") List<String> labels,
      @QueryParam("limit") Integer limit,
      @QueryParam("cursor") String cursor);

  @GET
  @Path("{id}")
  JobView get(@PathParam("id") JobId id);

  @POST
  @Path("{id}/cancel")
  JobView cancel(@PathParam("id") JobId id);
}
