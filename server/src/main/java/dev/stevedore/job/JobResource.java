package dev.stevedore.job;

import dev.stevedore.core.Audited;
import dev.stevedore.core.InvalidInputException;
import dev.stevedore.core.JobId;
import dev.stevedore.core.Role;
import dev.stevedore.logs.JobLogs;
import dev.stevedore.rest.MultipartForm;
import dev.stevedore.rest.Problem;
import dev.stevedore.workspace.InputStager;
import dev.stevedore.workspace.OutputArchive;
import jakarta.annotation.security.RolesAllowed;
import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
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
import java.net.URI;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.ExampleObject;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.media.SchemaProperty;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** Jobs over HTTP: reads the request, calls {@link JobService}, shapes the answer. */
@Path("/jobs")
@RequestScoped
@RolesAllowed(Role.VIEWER_NAME)
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Jobs", description = "Submit, follow and cancel jobs")
@APIResponse(responseCode = "400", ref = "Invalid")
public class JobResource {

  private static final int MAX_PAGE = 500;
  private static final java.util.regex.Pattern NAME_PREFIX =
      java.util.regex.Pattern.compile("[A-Za-z0-9_.-]{1,200}");

  @Inject JobService jobs;
  @Inject InputStager uploads;
  @Context UriInfo uriInfo;

  @POST
  @RolesAllowed(Role.SUBMITTER_NAME)
  @Consumes(MediaType.APPLICATION_JSON)
  @Audited("job.submit")
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
      description = "The Idempotency-Key was used for another spec",
      content =
          @Content(
              mediaType = Problem.MEDIA_TYPE,
              schema = @Schema(implementation = Problem.class)))
  public Response submit(
      @RequestBody(
              required = true,
              content =
                  @Content(
                      mediaType = MediaType.APPLICATION_JSON,
                      schema = @Schema(implementation = JobSpec.class),
                      examples =
                          @ExampleObject(
                              name = "shell",
                              summary = "A command with limits, a label and a secret",
                              value =
                                  "{\"name\": \"report\", \"image\": \"stevedore/agent:latest\","
                                      + " \"command\": [\"sh\", \"-c\", \"echo hello >"
                                      + " /workspace/out/hello.txt\"], \"timeoutSeconds\": 600,"
                                      + " \"resources\": {\"memoryMb\": 256, \"cpus\": 0.5},"
                                      + " \"labels\": {\"team\": \"data\"}, \"secrets\":"
                                      + " {\"API_TOKEN\": \"s3cr3t\"}}")))
          InputStream body,
      @Parameter(description = "Makes retries of one submission create one job")
          @HeaderParam("Idempotency-Key")
          String idempotencyKey) {
    JobSpec spec = jobs.readSpec(body);
    return submitted(jobs.submit(spec, idempotencyKey, JobService.Inputs.NONE));
  }

  @POST
  @RolesAllowed(Role.SUBMITTER_NAME)
  @Consumes(MediaType.MULTIPART_FORM_DATA)
  @Audited("job.submit")
  @Operation(
      summary = "Submit a job with input files",
      description =
          "Parts: 'spec' (the job spec as JSON), then either 'file' parts (each with a file name;"
              + " repeatable) or one 'zip' part to unpack. The files appear read-only under"
              + " /workspace/in. Links, absolute paths and '..' in names are refused.")
  @APIResponse(
      responseCode = "201",
      description = "Queued",
      content =
          @Content(
              mediaType = MediaType.APPLICATION_JSON,
              schema = @Schema(implementation = JobView.class)))
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
                                    name = "spec",
                                    type = SchemaType.STRING,
                                    description = "The job spec as JSON"),
                                @SchemaProperty(
                                    name = "file",
                                    type = SchemaType.STRING,
                                    format = "binary",
                                    description = "An input file; repeatable"),
                                @SchemaProperty(
                                    name = "zip",
                                    type = SchemaType.STRING,
                                    format = "binary",
                                    description = "A zip of input files, instead of 'file' parts")
                              })))
          List<EntityPart> parts,
      @HeaderParam("Idempotency-Key") String idempotencyKey,
      @HeaderParam(HttpHeaders.CONTENT_LENGTH) Long contentLength) {
    uploads.checkDeclaredSize(contentLength);
    MultipartForm form = MultipartForm.read(parts, Set.of("spec", "zip"), Set.of("file"));
    JobSpec spec = jobs.readSpec(form.required("spec"));
    if (spec == null) {
      throw InvalidInputException.forField("spec", "the 'spec' part is empty");
    }
    List<InputStager.Upload> files =
        form.files("file").stream()
            .map(f -> new InputStager.Upload(f.fileName(), f.content()))
            .toList();
    InputStream zip = form.single("zip").orElse(null);
    return submitted(jobs.submit(spec, idempotencyKey, new JobService.Inputs(files, zip)));
  }

  private Response submitted(JobService.Submission submission) {
    URI location =
        uriInfo.getBaseUriBuilder().path(JobResource.class).path(submission.job().id()).build();
    return (submission.created() ? Response.created(location) : Response.ok().location(location))
        .type(MediaType.APPLICATION_JSON)
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
      @Parameter(description = "Only jobs of exactly this name") @QueryParam("name") String name,
      @Parameter(description = "Only jobs whose name starts with this") @QueryParam("namePrefix")
          String namePrefix,
      @Parameter(
              description = "Only jobs with this label, as key=value (repeatable; all must match)",
              schema = @Schema(type = SchemaType.ARRAY, implementation = String.class))
          @QueryParam("label")
          List<String> labels,
      @Parameter(description = "Jobs per page, 1 to 500") @QueryParam("limit") @DefaultValue("50")
          int limit,
      @Parameter(
              description = "nextCursor of the previous page",
              schema = @Schema(type = SchemaType.STRING))
          @QueryParam("cursor")
          PageCursor cursor,
      @Parameter(description = "Only this tenant's jobs (administrators; others see only theirs)")
          @QueryParam("tenant")
          String tenant,
      @Parameter(
              description =
                  "summary (the default: the spec without command, prompt, env, secrets and"
                      + " callbacks) or full")
          @QueryParam("view")
          @DefaultValue("summary")
          JobService.ListView view) {
    if (limit < 1 || limit > MAX_PAGE) {
      throw InvalidInputException.forField("limit", "must be between 1 and " + MAX_PAGE);
    }
    if (namePrefix != null && !NAME_PREFIX.matcher(namePrefix).matches()) {
      throw InvalidInputException.forField(
          "namePrefix", "must be 1-200 letters, digits, '.', '_' or '-'");
    }
    return jobs.list(
        new JobQuery(
            Optional.ofNullable(tenant),
            states,
            name,
            namePrefix,
            labelFilter(labels),
            cursor == null ? null : cursor.after(),
            limit),
        view);
  }

  @GET
  @Path("stats")
  @Operation(
      summary = "Jobs by state, and those ended per minute over the last hour",
      description = "The caller's tenant's jobs (every tenant's for an administrator).")
  @APIResponse(
      responseCode = "200",
      description = "The counts",
      content = @Content(schema = @Schema(implementation = JobStats.class)))
  public JobStats stats() {
    return jobs.stats();
  }

  @GET
  @Path("{id}")
  @Operation(summary = "One job, with its history")
  @APIResponse(
      responseCode = "200",
      description = "The job",
      content = @Content(schema = @Schema(implementation = JobView.class)))
  @APIResponse(responseCode = "404", ref = "NotFound")
  public JobView get(
      @PathParam("id") JobId id,
      @Parameter(
              description =
                  "Answer once the job has ended for good, or when this has passed: 30s, 2m,"
                      + " 500ms or seconds; at most 60s")
          @QueryParam("wait")
          String wait) {
    return wait == null ? jobs.get(id) : jobs.awaitEnd(id, waitOf(wait));
  }

  /** A wait as the API takes it: 30s, 2m, 500ms or plain seconds, at most a minute. */
  static java.time.Duration waitOf(String text) {
    java.util.regex.Matcher m =
        java.util.regex.Pattern.compile("([0-9]{1,6})(ms|s|m)?").matcher(text.trim());
    if (!m.matches()) {
      throw InvalidInputException.forField("wait", "must be like 30s, 2m, 500ms or 30");
    }
    long amount = Long.parseLong(m.group(1));
    java.time.Duration wait =
        switch (m.group(2) == null ? "s" : m.group(2)) {
          case "ms" -> java.time.Duration.ofMillis(amount);
          case "m" -> java.time.Duration.ofMinutes(amount);
          default -> java.time.Duration.ofSeconds(amount);
        };
    if (wait.compareTo(MAX_WAIT) > 0) {
      throw InvalidInputException.forField("wait", "must be at most 60s");
    }
    return wait;
  }

  private static final java.time.Duration MAX_WAIT = java.time.Duration.ofSeconds(60);

  @POST
  @RolesAllowed(Role.SUBMITTER_NAME)
  @Path("{id}/cancel")
  @Audited("job.cancel")
  @Operation(
      summary = "Cancel a job",
      description =
          "A queued job never starts; a running one is stopped and its container removed.")
  @APIResponse(
      responseCode = "200",
      description = "Cancelled",
      content = @Content(schema = @Schema(implementation = JobView.class)))
  @APIResponse(responseCode = "404", ref = "NotFound")
  @APIResponse(responseCode = "409", ref = "Conflict")
  public JobView cancel(@PathParam("id") @Audited.Target JobId id) {
    return jobs.cancel(id);
  }

  @DELETE
  @RolesAllowed(Role.OPERATOR_NAME)
  @Path("{id}")
  @Audited("job.delete")
  @Operation(
      summary = "Forget an ended job",
      description = "Deletes the job, its history and its files.")
  @APIResponse(responseCode = "204", description = "Deleted")
  @APIResponse(responseCode = "404", ref = "NotFound")
  @APIResponse(responseCode = "409", ref = "Conflict")
  public Response delete(@PathParam("id") @Audited.Target JobId id) {
    jobs.delete(id);
    return Response.noContent().build();
  }

  @GET
  @Path("{id}/output")
  @Produces("application/zip")
  @Audited("job.output.download")
  @Operation(
      summary = "The job's outputs as one zip",
      description = "What it wrote under /workspace/out.")
  @APIResponse(
      responseCode = "200",
      description = "output.zip",
      content =
          @Content(
              mediaType = "application/zip",
              schema = @Schema(type = SchemaType.STRING, format = "binary")))
  @APIResponse(responseCode = "404", ref = "NotFound")
  public Response output(@PathParam("id") @Audited.Target JobId id) {
    java.nio.file.Path archive = jobs.outputArchive(id);
    return Response.ok(archive.toFile(), "application/zip")
        .header("Content-Disposition", "attachment; filename=\"" + id + "-output.zip\"")
        .build();
  }

  @GET
  @Path("{id}/files")
  @Operation(summary = "The files of the job's outputs, with their sizes")
  @APIResponse(
      responseCode = "200",
      description = "The files",
      content = @Content(schema = @Schema(implementation = OutputListing.class)))
  @APIResponse(responseCode = "404", ref = "NotFound")
  public OutputListing files(@PathParam("id") JobId id) {
    return new OutputListing(jobs.outputFiles(id));
  }

  @GET
  @Path("{id}/files/{path: .+}")
  @Produces(MediaType.APPLICATION_OCTET_STREAM)
  @Audited("job.file.download")
  @Operation(
      summary = "One file of the job's outputs",
      description = "Always served as a download.")
  @APIResponse(
      responseCode = "200",
      description = "The file's bytes",
      content =
          @Content(
              mediaType = MediaType.APPLICATION_OCTET_STREAM,
              schema = @Schema(type = SchemaType.STRING, format = "binary")))
  @APIResponse(responseCode = "404", ref = "NotFound")
  public Response file(
      @PathParam("id") @Audited.Target JobId id,
      @Parameter(description = "The file's path in the outputs, as listed")
          @PathParam("path")
          @Audited.Target
          String path) {
    jobs.requireOutputFile(id, path);
    StreamingOutput content = sink -> jobs.copyOutputFile(id, path, sink);
    String name = path.substring(path.lastIndexOf('/') + 1).replaceAll("[^A-Za-z0-9._-]", "_");
    return Response.ok(content, MediaType.APPLICATION_OCTET_STREAM)
        .header("Content-Disposition", "attachment; filename=\"" + name + "\"")
        .header("X-Content-Type-Options", "nosniff")
        .build();
  }

  /** The files of a job's outputs. */
  @Schema(name = "OutputFiles")
  public record OutputListing(List<OutputArchive.OutputFile> files) {}

  @GET
  @Path("{id}/logs")
  @Produces({MediaType.TEXT_PLAIN, MediaType.SERVER_SENT_EVENTS})
  @Operation(
      summary = "The job's stored output, or its output as it comes",
      description =
          "stdout and stderr, line by line. With follow=true: the current attempt's stored lines,"
              + " then each new line as it is written, until the job has ended for good; as"
              + " text/plain, or as text/event-stream (one 'line' event per line, then an 'end'"
              + " event) when asked with Accept.")
  @APIResponse(
      responseCode = "200",
      description = "The lines, oldest first",
      content = {
        @Content(mediaType = MediaType.TEXT_PLAIN, schema = @Schema(type = SchemaType.STRING)),
        @Content(
            mediaType = MediaType.SERVER_SENT_EVENTS,
            schema = @Schema(type = SchemaType.STRING))
      })
  @APIResponse(responseCode = "404", ref = "NotFound")
  public Response logs(
      @PathParam("id") JobId id,
      @Parameter(description = "Only the last N lines") @QueryParam("tail") Integer tail,
      @Parameter(description = "stdout, stderr or all") @QueryParam("stream") @DefaultValue("all")
          JobLogs.StreamFilter stream,
      @Parameter(description = "Which attempt; the latest when left out") @QueryParam("attempt")
          Integer attempt,
      @Parameter(description = "Prefix each line with its time and stream")
          @QueryParam("timestamps")
          @DefaultValue("false")
          boolean timestamps,
      @Parameter(description = "Follow the output until the job ends")
          @QueryParam("follow")
          @DefaultValue("false")
          boolean follow,
      @HeaderParam("Accept") String accept) {
    if (tail != null && tail < 0) {
      throw InvalidInputException.forField("tail", "must not be negative");
    }
    if (!follow) {
      return Response.ok(
              jobs.logs(id, new JobLogs.Selection(attempt, stream, tail, timestamps)),
              MediaType.TEXT_PLAIN_TYPE.withCharset("UTF-8"))
          .build();
    }
    if (tail != null || attempt != null) {
      throw InvalidInputException.forField(
          tail != null ? "tail" : "attempt", "is not taken with follow=true");
    }
    jobs.get(id); // a 404 before anything is streamed
    boolean events = accept != null && accept.contains(MediaType.SERVER_SENT_EVENTS);
    java.util.function.Function<dev.stevedore.logs.LogLine, String> format =
        line -> {
          if (stream != JobLogs.StreamFilter.ALL
              && !stream.name().equalsIgnoreCase(line.stream())) {
            return "";
          }
          String text =
              timestamps ? line.time() + " " + line.stream() + " " + line.text() : line.text();
          return events
              ? "event: line\nid: "
                  + line.attempt()
                  + "-"
                  + line.seq()
                  + "\ndata: "
                  + text.replace("\r", "")
                  + "\n\n"
              : text + "\n";
        };
    StreamingOutput body =
        out -> {
          jobs.follow(id, format, out);
          if (events) {
            JobView ended = jobs.get(id);
            out.write(
                ("event: end\ndata: {\"state\":\""
                        + ended.state()
                        + "\",\"exitCode\":"
                        + ended.exitCode()
                        + "}\n\n")
                    .getBytes(java.nio.charset.StandardCharsets.UTF_8));
            out.flush();
          }
        };
    return Response.ok(
            body, events ? MediaType.SERVER_SENT_EVENTS : MediaType.TEXT_PLAIN + ";charset=UTF-8")
        .header("X-Accel-Buffering", "no")
        .build();
  }

  private static Map<String, String> labelFilter(List<String> labels) {
    Map<String, String> filter = new LinkedHashMap<>();
    for (String label : labels) {
      int equals = label.indexOf('=');
      if (equals <= 0) {
        throw InvalidInputException.forField("label", "'" + label + "' is not key=value");
      }
      filter.put(label.substring(0, equals), label.substring(equals + 1));
    }
    return filter;
  }
}
