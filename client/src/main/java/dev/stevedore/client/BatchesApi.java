package dev.stevedore.client;

import dev.stevedore.batch.BatchItemState;
import dev.stevedore.batch.BatchItemView;
import dev.stevedore.batch.BatchRequest;
import dev.stevedore.batch.BatchView;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import java.io.InputStream;
import java.util.List;

/**
 * The batch routes of the API ({@code /api/v1/batches}) throws StevedoreException; see {@link
 * JobsApi} for how to use it.
 */
@Path("/batches")
@Produces(MediaType.APPLICATION_JSON)
public interface BatchesApi {

  @POST
  @Consumes(MediaType.APPLICATION_JSON)
  BatchView submit(BatchRequest batch) throws StevedoreException;

  /** The caller's batches, newest first; {@code limit} 1 to 100. */
  @GET
  List<BatchView> list(@QueryParam("limit") Integer limit) throws StevedoreException;

  @GET
  @Path("{id}")
  BatchView get(@PathParam("id") String id) throws StevedoreException;

  /** The batch's items; a null state lists them all. */
  @GET
  @Path("{id}/items")
  List<BatchItemView> items(@PathParam("id") String id, @QueryParam("state") BatchItemState state)
      throws StevedoreException;

  /** Every item's outputs in one zip archive; the caller closes the stream. */
  @GET
  @Path("{id}/output")
  @Produces("application/zip")
  InputStream output(@PathParam("id") String id) throws StevedoreException;

  /** Stops the running execution at its next checkpoint; items left stay pending. */
  @POST
  @Path("{id}/stop")
  BatchView stop(@PathParam("id") String id) throws StevedoreException;

  /** Runs a stopped or failed batch again from its last checkpoint. */
  @POST
  @Path("{id}/restart")
  BatchView restart(@PathParam("id") String id) throws StevedoreException;

  /** Gives a stopped or failed batch up for good. */
  @POST
  @Path("{id}/abandon")
  BatchView abandon(@PathParam("id") String id) throws StevedoreException;
}
