package dev.stevedore.job;

import dev.stevedore.logs.JobLogs;
import dev.stevedore.rest.InvalidParameterException;
import dev.stevedore.rest.Problem;
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
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import java.net.URI;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** Jobs over HTTP: reads the request, calls {@link JobService}, shapes the answer. */
@Path("/jobs")
@RequestScoped
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Jobs", description = "Submit, follow and cancel jobs")
@APIResponse(
    responseCode = "400",
    description = "Invalid request",
    content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
public class JobResource {

  private static final int MAX_PAGE = 500;

  @Inject JobService jobs;
  @Context UriInfo uriInfo;

  @POST
  @Consumes(MediaType.APPLICATION_JSON)
  @Operation(
      summary = "Submit a job",
      description =
          "Queues the job and answers with it. With an Idempotency-Key header, repeating the"
              + " same submission answers 200 with the job made the first time.")
  @APIResponse(
      responseCode = "201",
      description = "Queued",
      content = @Content(schema = @Schema(implementation = JobView.class)))
  @APIResponse(
      responseCode = "200",
      description = "Already submitted with this Idempotency-Key",
      content = @Content(schema = @Schema(implementation = JobView.class)))
  @APIResponse(
      responseCode = "409",
      description = "Idempotency-Key reused with another spec",
      content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
  public Response submit(
      JobSpec spec,
      @Parameter(description = "Makes retries of one submission create one job")
          @HeaderParam("Idempotency-Key")
          String idempotencyKey) {
    JobService.Submission submission = jobs.submit(spec, idempotencyKey);
    URI location = uriInfo.getAbsolutePathBuilder().path(submission.job().id()).build();
    return (submission.created() ? Response.created(location) : Response.ok().location(location))
        .entity(submission.job())
        .build();
  }

  @GET
  @Operation(summary = "List jobs", description = "Newest first, a page at a time.")
  @APIResponse(
      responseCode = "200",
      description = "One page; follow nextCursor for the next",
      content = @Content(schema = @Schema(implementation = JobPage.class)))
  public JobPage list(
      @Parameter(description = "Only jobs in these states (repeatable)") @QueryParam("state")
          List<JobState> states,
      @Parameter(description = "Only jobs of this name") @QueryParam("name") String name,
      @Parameter(
              description = "Only jobs with this label, as key=value (repeatable; all must match)",
              schema = @Schema(type = SchemaType.ARRAY, implementation = String.class))
          @QueryParam("label")
          List<String> labels,
      @Parameter(description = "Jobs per page, 1 to 500") @QueryParam("limit") @DefaultValue("50")
          int limit,
      @Parameter(description = "nextCursor of the previous page", schema = @Schema(type = SchemaType.STRING))
          @QueryParam("cursor")
          PageCursor cursor) {
    if (limit < 1 || limit > MAX_PAGE) {
      throw new InvalidParameterException("limit", "must be between 1 and " + MAX_PAGE);
    }
    return jobs.list(
        new JobQuery(
            states,
            name,
            labelFilter(labels),
            cursor == null ? null : cursor.after(),
            limit));
  }

  @GET
  @Path("{id}")
  @Operation(summary = "One job, with its history")
  @APIResponse(
      responseCode = "200",
      description = "The job",
      content = @Content(schema = @Schema(implementation = JobView.class)))
  @APIResponse(
      responseCode = "404",
      description = "No such job",
      content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
  public JobView get(@Parameter(schema = @Schema(type = SchemaType.STRING, format = "uuid")) @PathParam("id") JobId id) {
    return jobs.get(id);
  }

  @POST
  @Path("{id}/cancel")
  @Operation(
      summary = "Cancel a job",
      description = "A queued job never starts; a running one is stopped and its container removed.")
  @APIResponse(
      responseCode = "200",
      description = "Cancelled",
      content = @Content(schema = @Schema(implementation = JobView.class)))
  @APIResponse(
      responseCode = "404",
      description = "No such job",
      content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
  @APIResponse(
      responseCode = "409",
      description = "The job has ended already",
      content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
  public JobView cancel(@Parameter(schema = @Schema(type = SchemaType.STRING, format = "uuid")) @PathParam("id") JobId id) {
    return jobs.cancel(id);
  }

  @GET
  @Path("{id}/logs")
  @Produces(MediaType.TEXT_PLAIN)
  @Operation(summary = "The job's stored output", description = "stdout and stderr, line by line.")
  @APIResponse(responseCode = "200", description = "The lines, oldest first")
  @APIResponse(
      responseCode = "404",
      description = "No such job",
      content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
  public String logs(
      @Parameter(schema = @Schema(type = SchemaType.STRING, format = "uuid")) @PathParam("id") JobId id,
      @Parameter(description = "Only the last N lines") @QueryParam("tail") Integer tail,
      @Parameter(description = "stdout, stderr or all") @QueryParam("stream") @DefaultValue("all")
          JobLogs.StreamFilter stream,
      @Parameter(description = "Which attempt; the latest when left out") @QueryParam("attempt")
          Integer attempt,
      @Parameter(description = "Prefix each line with its time and stream")
          @QueryParam("timestamps")
          @DefaultValue("false")
          boolean timestamps) {
    if (tail != null && tail < 0) {
      throw new InvalidParameterException("tail", "must not be negative");
    }
    return jobs.logs(id, new JobLogs.Selection(attempt, stream, tail, timestamps));
  }

  private static Map<String, String> labelFilter(List<String> labels) {
    Map<String, String> filter = new LinkedHashMap<>();
    for (String label : labels) {
      int equals = label.indexOf('=');
      if (equals <= 0) {
        throw new InvalidParameterException("label", "'" + label + "' is not key=value");
      }
      filter.put(label.substring(0, equals), label.substring(equals + 1));
    }
    return filter;
  }
}
