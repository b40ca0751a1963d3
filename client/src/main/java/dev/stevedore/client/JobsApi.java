package dev.stevedore.client;

import dev.stevedore.job.JobPage;
import dev.stevedore.job.JobSpec;
import dev.stevedore.job.JobState;
import dev.stevedore.job.JobView;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import java.io.InputStream;
import java.util.List;

/**
 * The job routes of the API ({@code /api/v1/jobs}) as a Jakarta REST client interface: usable with
 * {@link Stevedore#jobs()}, or with any MicroProfile Rest Client or Jakarta REST proxy builder
 * against {@code <server>/api/v1}. Errors arrive as {@link StevedoreException}s when built by
 * {@link Stevedore}.
 */
@Path("/jobs")
@Produces(MediaType.APPLICATION_JSON)
public interface JobsApi {

  /** Queues a job; with an idempotency key, a repeat answers the job made the first time. */
  @POST
  @Consumes(MediaType.APPLICATION_JSON)
  JobView submit(JobSpec spec, @HeaderParam("Idempotency-Key") String idempotencyKey)
      throws StevedoreException;

  /** A page of the caller's jobs, newest first; nulls leave a filter out. */
  @GET
  JobPage list(
      @QueryParam("state") List<JobState> states,
      @QueryParam("name") String name,
      @QueryParam("namePrefix") String namePrefix,
      @QueryParam("label") List<String> labels,
      @QueryParam("limit") Integer limit,
      @QueryParam("cursor") String cursor,
      @QueryParam("tenant") String tenant,
      @QueryParam("view") String view)
      throws StevedoreException;

  @GET
  @Path("{id}")
  JobView get(@PathParam("id") String id) throws StevedoreException;

  /**
   * The job, answered when it ends or when {@code wait} (such as {@code 30s}, at most {@code 60s})
   * has passed, whichever comes first.
   */
  @GET
  @Path("{id}")
  JobView get(@PathParam("id") String id, @QueryParam("wait") String wait)
      throws StevedoreException;

  @POST
  @Path("{id}/cancel")
  JobView cancel(@PathParam("id") String id) throws StevedoreException;

  /** Removes a finished job with its files. */
  @DELETE
  @Path("{id}")
  void delete(@PathParam("id") String id) throws StevedoreException;

  /** The stored log as text; {@code stream} is stdout, stderr or all. */
  @GET
  @Path("{id}/logs")
  @Produces(MediaType.TEXT_PLAIN)
  String logs(
      @PathParam("id") String id,
      @QueryParam("tail") Integer tail,
      @QueryParam("stream") String stream,
      @QueryParam("attempt") Integer attempt)
      throws StevedoreException;

  /** The job's outputs as a zip archive; the caller closes the stream. */
  @GET
  @Path("{id}/output")
  @Produces("application/zip")
  InputStream output(@PathParam("id") String id) throws StevedoreException;
}
