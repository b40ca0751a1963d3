package dev.stevedore.sandbox;

import dev.stevedore.core.Audited;
import dev.stevedore.core.DomainException;
import dev.stevedore.core.InvalidInputException;
import dev.stevedore.core.Role;
import dev.stevedore.runtime.LogSink;
import jakarta.annotation.security.RolesAllowed;
import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import jakarta.json.bind.Jsonb;
import jakarta.json.bind.JsonbBuilder;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.StreamingOutput;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponseSchema;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** Sandboxes over HTTP: reads the request, calls {@link SandboxService}, shapes the answer. */
@Path("/sandboxes")
@RequestScoped
@RolesAllowed(Role.VIEWER_NAME)
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Sandboxes", description = "Live containers driven one command at a time")
@APIResponse(responseCode = "400", ref = "Invalid")
public class SandboxResource {

  static final String NDJSON = "application/x-ndjson";
  static final String TAR = "application/x-tar";
  static final String ZIP = "application/zip";
  private static final int MAX_PAGE = 500;
  private static final Jsonb JSON = JsonbBuilder.create();

  @Inject SandboxService sandboxes;

  @POST
  @RolesAllowed(Role.SUBMITTER_NAME)
  @Consumes(MediaType.APPLICATION_JSON)
  @Audited("sandbox.create")
  @Operation(
      summary = "Make a sandbox",
      description =
          "Answers once its container runs: from a warm pool in milliseconds, cold in about a"
              + " second. It holds one running slot of its tenant until it ends.")
  @APIResponseSchema(value = SandboxView.class, responseCode = "201", responseDescription = "Ready")
  @APIResponse(responseCode = "429", ref = "TooManyRequests")
  public Response create(SandboxSpec spec) {
    if (spec == null) {
      throw InvalidInputException.forField("body", "must be a sandbox spec");
    }
    SandboxView created = sandboxes.create(spec);
    return Response.status(Response.Status.CREATED)
        .header("Location", "/api/v1/sandboxes/" + created.id())
        .entity(created)
        .build();
  }

  @GET
  @Operation(summary = "List sandboxes, newest first")
  @APIResponse(responseCode = "200", description = "The sandboxes, without their execs")
  public List<SandboxView> list(
      @QueryParam("state") SandboxState state,
      @QueryParam("limit") @DefaultValue("100") int limit) {
    if (limit < 1 || limit > MAX_PAGE) {
      throw InvalidInputException.forField("limit", "must be between 1 and " + MAX_PAGE);
    }
    return sandboxes.list(state, limit);
  }

  @GET
  @Path("{id}")
  @Operation(summary = "A sandbox with its latest execs")
  @APIResponse(responseCode = "200", description = "The sandbox")
  @APIResponse(responseCode = "404", ref = "NotFound")
  public SandboxView get(@PathParam("id") String id) {
    return sandboxes.get(id);
  }

  @DELETE
  @Path("{id}")
  @RolesAllowed(Role.SUBMITTER_NAME)
  @Audited("sandbox.delete")
  @Operation(
      summary = "End a sandbox",
      description = "Its container and files go; its record stays.")
  @APIResponse(responseCode = "204", description = "Ended")
  @APIResponse(responseCode = "404", ref = "NotFound")
  public Response delete(@PathParam("id") @Audited.Target String id) {
    sandboxes.delete(id);
    return Response.noContent().build();
  }

  @POST
  @Path("{id}/exec")
  @RolesAllowed(Role.SUBMITTER_NAME)
  @Consumes(MediaType.APPLICATION_JSON)
  @Produces({MediaType.APPLICATION_JSON, NDJSON})
  @Audited("sandbox.exec")
  @Operation(
      summary = "Run a command in a sandbox",
      description =
          "Answers once it has ended, with its exit code and output. With 'Accept:"
              + " application/x-ndjson' the output comes as it is written, one JSON object per"
              + " line, the last one of type 'exit'.")
  @APIResponseSchema(value = ExecResult.class, responseDescription = "It ended")
  @APIResponse(responseCode = "404", ref = "NotFound")
  @APIResponse(responseCode = "409", ref = "Conflict")
  public Response exec(
      @PathParam("id") @Audited.Target String id,
      @HeaderParam("Accept") String accept,
      ExecRequest request) {
    if (request == null) {
      throw InvalidInputException.forField("body", "must be a command to run");
    }
    SandboxService.PreparedExec prepared = sandboxes.prepareExec(id, request);
    if (accept == null || !accept.toLowerCase(Locale.ROOT).contains(NDJSON)) {
      return Response.ok(sandboxes.run(prepared, null), MediaType.APPLICATION_JSON).build();
    }
    StreamingOutput body = out -> stream(prepared, out);
    return Response.ok(body, NDJSON).header("X-Accel-Buffering", "no").build();
  }

  /**
   * Writes the command's output as it comes, then how it ended. A client that goes away stops being
   * written to; the command runs on to its end or its timeout, as it would unwatched.
   */
  private void stream(SandboxService.PreparedExec prepared, OutputStream out) {
    java.util.concurrent.atomic.AtomicBoolean gone =
        new java.util.concurrent.atomic.AtomicBoolean();
    LogSink sink =
        (stream, time, text) ->
            send(out, new ExecEvent.Line(stream.name().toLowerCase(Locale.ROOT), text), gone);
    Object last;
    try {
      last = ExecEvent.Exit.of(sandboxes.run(prepared, sink));
    } catch (DomainException | dev.stevedore.runtime.ContainerRuntimeException e) {
      last = new ExecEvent.Failure("error", e.getMessage());
    }
    send(out, last, gone);
  }

  private static void send(
      OutputStream out, Object message, java.util.concurrent.atomic.AtomicBoolean gone) {
    if (gone.get()) {
      return;
    }
    try {
      synchronized (out) {
        out.write((JSON.toJson(message) + "\n").getBytes(StandardCharsets.UTF_8));
        out.flush();
      }
    } catch (IOException e) {
      gone.set(true);
    }
  }

  @GET
  @Path("{id}/files")
  @Produces({MediaType.APPLICATION_JSON, TAR, ZIP})
  @Operation(
      summary = "List the workspace, or download it as a tar or zip",
      description = "Links are listed, never followed nor archived.")
  @APIResponse(
      responseCode = "200",
      description = "The listing or the archive",
      content = {
        @Content(
            mediaType = MediaType.APPLICATION_JSON,
            schema = @Schema(implementation = SandboxFiles.Listing.class)),
        @Content(mediaType = TAR, schema = @Schema(type = SchemaType.STRING, format = "binary")),
        @Content(mediaType = ZIP, schema = @Schema(type = SchemaType.STRING, format = "binary"))
      })
  @APIResponse(responseCode = "404", ref = "NotFound")
  public Response workspace(
      @PathParam("id") String id,
      @Parameter(description = "tar or zip") @QueryParam("archive") String archive) {
    return files(id, "", archive);
  }

  @GET
  @Path("{id}/files/{path: .+}")
  @Produces({MediaType.APPLICATION_JSON, MediaType.APPLICATION_OCTET_STREAM, TAR, ZIP})
  @Operation(
      summary = "Download a file, list a directory, or download either as a tar or zip",
      description = "The path is relative to /workspace; links on it are refused.")
  @APIResponse(
      responseCode = "200",
      description = "The file, listing or archive",
      content = {
        @Content(
            mediaType = MediaType.APPLICATION_JSON,
            schema = @Schema(implementation = SandboxFiles.Listing.class)),
        @Content(
            mediaType = MediaType.APPLICATION_OCTET_STREAM,
            schema = @Schema(type = SchemaType.STRING, format = "binary")),
        @Content(mediaType = TAR, schema = @Schema(type = SchemaType.STRING, format = "binary")),
        @Content(mediaType = ZIP, schema = @Schema(type = SchemaType.STRING, format = "binary"))
      })
  @APIResponse(responseCode = "404", ref = "NotFound")
  public Response files(
      @PathParam("id") String id,
      @PathParam("path") String path,
      @Parameter(description = "tar or zip") @QueryParam("archive") String archive) {
    if (archive != null && !archive.equals("tar") && !archive.equals("zip")) {
      throw InvalidInputException.forField("archive", "must be tar or zip");
    }
    String type = sandboxes.type(id, path);
    if (archive == null && type.equals("directory")) {
      return Response.ok(sandboxes.list(id, path), MediaType.APPLICATION_JSON).build();
    }
    if (archive == null && !type.equals("file")) {
      throw InvalidInputException.forField(
          "path",
          "'" + SandboxFiles.relative(path) + "' is a " + type + ": links are not followed");
    }
    String name = SandboxFiles.relative(path);
    name = name.isEmpty() ? "workspace" : name.substring(name.lastIndexOf('/') + 1);
    StreamingOutput body = out -> sandboxes.download(id, path, archive, out);
    String media =
        archive == null ? MediaType.APPLICATION_OCTET_STREAM : archive.equals("tar") ? TAR : ZIP;
    String file = archive == null ? name : name + "." + archive;
    return Response.ok(body, media)
        .header("Content-Disposition", "attachment; filename=\"" + file.replace("\"", "") + "\"")
        .build();
  }

  @PUT
  @Path("{id}/files")
  @RolesAllowed(Role.SUBMITTER_NAME)
  @Consumes(TAR)
  @Audited("sandbox.upload")
  @Operation(summary = "Unpack a tar into the workspace")
  @APIResponse(responseCode = "204", description = "Unpacked")
  @APIResponse(responseCode = "404", ref = "NotFound")
  @APIResponse(responseCode = "413", ref = "TooLarge")
  public Response unpack(@PathParam("id") @Audited.Target String id, InputStream tar) {
    sandboxes.upload(id, "", tar, true);
    return Response.noContent().build();
  }

  @PUT
  @Path("{id}/files/{path: .+}")
  @RolesAllowed(Role.SUBMITTER_NAME)
  @Consumes({MediaType.APPLICATION_OCTET_STREAM, TAR})
  @Audited("sandbox.upload")
  @Operation(
      summary = "Upload a file, or unpack a tar into a directory",
      description =
          "application/octet-stream: the body becomes the file at the path. application/x-tar:"
              + " the archive is unpacked into the directory at the path. Links in an archive,"
              + " and links on the path, are refused.")
  @APIResponse(responseCode = "204", description = "Written")
  @APIResponse(responseCode = "404", ref = "NotFound")
  @APIResponse(responseCode = "413", ref = "TooLarge")
  public Response upload(
      @PathParam("id") @Audited.Target String id,
      @PathParam("path") String path,
      @HeaderParam("Content-Type") String contentType,
      InputStream body) {
    boolean tar = contentType != null && contentType.toLowerCase(Locale.ROOT).startsWith(TAR);
    sandboxes.upload(id, path, body, tar);
    return Response.noContent().build();
  }
}
