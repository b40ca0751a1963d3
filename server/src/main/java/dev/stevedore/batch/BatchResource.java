package dev.stevedore.batch;

import dev.stevedore.core.Audited;
import dev.stevedore.core.InvalidInputException;
import dev.stevedore.core.Role;
import dev.stevedore.rest.MultipartForm;
import dev.stevedore.rest.StrictJson;
import dev.stevedore.workspace.InputStager;
import jakarta.annotation.security.RolesAllowed;
import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.EntityPart;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.StreamingOutput;
import jakarta.ws.rs.core.UriInfo;
import java.io.InputStream;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.media.SchemaProperty;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponseSchema;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** Batches over HTTP: reads the request, calls {@link BatchService}, shapes the answer. */
@Path("/batches")
@RequestScoped
@RolesAllowed(Role.VIEWER_NAME)
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Batches", description = "Many work items run as one job template, checkpointed")
@APIResponse(responseCode = "400", ref = "Invalid")
public class BatchResource {

  private static final String STATE_CONFLICT = "Conflict";

  @Inject BatchService batches;
  @Inject InputStager uploads;
  @Context UriInfo uriInfo;

  @POST
  @RolesAllowed(Role.SUBMITTER_NAME)
  @Consumes(MediaType.APPLICATION_JSON)
  @Audited("batch.submit")
  @Operation(
      summary = "Submit a batch",
      description =
          "Stores the template and the items and starts the batch: 'parallelism' items run at"
              + " once, results are checkpointed every 'checkpointEvery' items.")
  @APIResponseSchema(value = BatchView.class, responseCode = "201", responseDescription = "Started")
  public Response submit(
      @RequestBody(
              required = true,
              content =
                  @Content(
                      mediaType = MediaType.APPLICATION_JSON,
                      schema = @Schema(implementation = BatchRequest.class)))
          InputStream body) {
    BatchRequest request = readBatch(body);
    return created(batches.submit(request, List.of()));
  }

  @POST
  @RolesAllowed(Role.SUBMITTER_NAME)
  @Consumes(MediaType.MULTIPART_FORM_DATA)
  @Audited("batch.submit")
  @Operation(
      summary = "Submit a batch with one input file per item",
      description =
          "Parts: 'batch' (the batch as JSON; 'items' may be left out), then one 'item' part per"
              + " work item, each a file with a plain name; it appears read-only in the item's"
              + " /workspace/in.")
  @APIResponse(
      responseCode = "201",
      description = "Started",
      content =
          @Content(
              mediaType = MediaType.APPLICATION_JSON,
              schema = @Schema(implementation = BatchView.class)))
  @APIResponse(responseCode = "413", ref = "TooLarge")
  public Response submitWithFiles(
      @RequestBody(
              required = true,
              content =
                  @Content(
                      mediaType = MediaType.MULTIPART_FORM_DATA,
                      schema =
                          @Schema(
                              type = SchemaType.OBJECT,
                              properties = {
                                @SchemaProperty(
                                    name = "batch",
                                    type = SchemaType.STRING,
                                    description = "The batch as JSON"),
                                @SchemaProperty(
                                    name = "item",
                                    type = SchemaType.STRING,
                                    format = "binary",
                                    description = "One item's input file; repeatable, in order")
                              })))
          List<EntityPart> parts,
      @HeaderParam(HttpHeaders.CONTENT_LENGTH) Long contentLength) {
    uploads.checkDeclaredSize(contentLength);
    MultipartForm form = MultipartForm.read(parts, Set.of("batch"), Set.of("item"));
    BatchRequest request = readBatch(form.required("batch"));
    if (request == null) {
      throw InvalidInputException.forField("batch", "the 'batch' part is empty");
    }
    List<InputStager.Upload> files =
        form.files("item").stream()
            .map(f -> new InputStager.Upload(f.fileName(), f.content()))
            .toList();
    if (files.isEmpty()) {
      throw InvalidInputException.forField("item", "at least one 'item' file part is needed");
    }
    return created(batches.submit(request, files));
  }

  @GET
  @Operation(summary = "List batches, newest first")
  @APIResponse(responseCode = "200", description = "The batches")
  public List<BatchView> list(
      @Parameter(description = "1 to 100") @QueryParam("limit") @DefaultValue("20") int limit) {
    if (limit < 1 || limit > 100) {
      throw InvalidInputException.forField("limit", "must be between 1 and 100");
    }
    return batches.list(limit);
  }

  @GET
  @Path("{id}")
  @Operation(
      summary = "One batch: progress, executions, estimate of the time left",
      description = "Counts never go backwards while an execution runs.")
  @APIResponse(responseCode = "200", description = "The batch")
  @APIResponse(responseCode = "404", ref = "NotFound")
  public BatchView get(@PathParam("id") String id) {
    return batches.view(id);
  }

  @GET
  @Path("{id}/items")
  @Operation(summary = "The batch's items with their jobs, states and exit codes")
  @APIResponse(responseCode = "200", description = "The items, in order")
  @APIResponse(responseCode = "404", ref = "NotFound")
  public List<BatchItemView> items(
      @PathParam("id") String id,
      @Parameter(description = "Only items in this state") @QueryParam("state")
          BatchItemState state) {
    return batches.items(id, Optional.ofNullable(state)).stream().map(BatchItem::view).toList();
  }

  @GET
  @Path("{id}/output")
  @Produces("application/zip")
  @Audited("batch.output.download")
  @Operation(
      summary = "Every item's outputs in one zip, a folder per item (item-<index>/)",
      description = "Built from the items' own output archives as they stand.")
  @APIResponse(
      responseCode = "200",
      description = "The zip",
      content =
          @Content(
              mediaType = "application/zip",
              schema = @Schema(type = SchemaType.STRING, format = "binary")))
  @APIResponse(responseCode = "404", ref = "NotFound")
  public Response output(@PathParam("id") @Audited.Target String id) {
    List<BatchItem> items = batches.items(id, Optional.empty());
    StreamingOutput zip = out -> batches.writeOutput(items, out);
    return Response.ok(zip, "application/zip")
        .header("Content-Disposition", "attachment; filename=\"" + id + "-output.zip\"")
        .build();
  }

  @POST
  @Path("{id}/stop")
  @Audited("batch.stop")
  @RolesAllowed(Role.SUBMITTER_NAME)
  @Operation(
      summary = "Stop a running batch",
      description =
          "Item jobs in flight are cancelled and run again on restart; the execution ends"
              + " STOPPED.")
  @APIResponse(responseCode = "200", description = "Stopping")
  @APIResponse(responseCode = "404", ref = "NotFound")
  @APIResponse(responseCode = "409", ref = STATE_CONFLICT)
  public BatchView stop(@PathParam("id") @Audited.Target String id) {
    return batches.stop(id);
  }

  @POST
  @Path("{id}/restart")
  @Audited("batch.restart")
  @RolesAllowed(Role.SUBMITTER_NAME)
  @Operation(
      summary = "Restart a stopped or failed batch",
      description =
          "A new execution resumes from the checkpoints: items that ended are not run again."
              + " Refused while an execution runs.")
  @APIResponse(responseCode = "200", description = "Restarted")
  @APIResponse(responseCode = "404", ref = "NotFound")
  @APIResponse(responseCode = "409", ref = STATE_CONFLICT)
  public BatchView restart(@PathParam("id") @Audited.Target String id) {
    return batches.restart(id);
  }

  @POST
  @Path("{id}/abandon")
  @Audited("batch.abandon")
  @RolesAllowed(Role.SUBMITTER_NAME)
  @Operation(summary = "Abandon a stopped or failed batch: it can never be restarted")
  @APIResponse(responseCode = "200", description = "Abandoned")
  @APIResponse(responseCode = "404", ref = "NotFound")
  @APIResponse(responseCode = "409", ref = STATE_CONFLICT)
  public BatchView abandon(@PathParam("id") @Audited.Target String id) {
    return batches.abandon(id);
  }

  /** The batch as JSON, read strictly (no silent type conversions) up to the upload limit. */
  private BatchRequest readBatch(InputStream json) {
    return StrictJson.read(json, uploads.maxUploadBytes(), BatchRequest.class, "batch");
  }

  private Response created(BatchView batch) {
    return Response.created(uriInfo.getAbsolutePathBuilder().path(batch.id()).build())
        .entity(batch)
        .build();
  }
}
