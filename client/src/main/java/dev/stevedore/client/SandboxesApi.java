package dev.stevedore.client;

import dev.stevedore.sandbox.ExecRequest;
import dev.stevedore.sandbox.ExecResult;
import dev.stevedore.sandbox.SandboxSpec;
import dev.stevedore.sandbox.SandboxState;
import dev.stevedore.sandbox.SandboxView;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import java.io.InputStream;
import java.util.List;

/**
 * The sandbox routes of the API ({@code /api/v1/sandboxes}) throws StevedoreException; see {@link
 * JobsApi} for how to use it. Paths inside a sandbox are relative to its {@code /workspace}.
 */
@Path("/sandboxes")
@Produces(MediaType.APPLICATION_JSON)
public interface SandboxesApi {

  /** Makes a sandbox and answers once its container runs. */
  @POST
  @Consumes(MediaType.APPLICATION_JSON)
  SandboxView create(SandboxSpec spec) throws StevedoreException;

  @GET
  List<SandboxView> list(
      @QueryParam("state") SandboxState state, @QueryParam("limit") Integer limit)
      throws StevedoreException;

  @GET
  @Path("{id}")
  SandboxView get(@PathParam("id") String id) throws StevedoreException;

  /** Ends the sandbox: its container and files go, its record stays. */
  @DELETE
  @Path("{id}")
  void delete(@PathParam("id") String id) throws StevedoreException;

  /** Runs a command and answers once it has ended. */
  @POST
  @Path("{id}/exec")
  @Consumes(MediaType.APPLICATION_JSON)
  ExecResult exec(@PathParam("id") String id, ExecRequest command) throws StevedoreException;

  /** Writes one file, making its directories. */
  @PUT
  @Path("{id}/files/{path: .+}")
  @Consumes(MediaType.APPLICATION_OCTET_STREAM)
  void write(@PathParam("id") String id, @PathParam("path") String path, InputStream content)
      throws StevedoreException;

  /** Reads one file; the caller closes the stream. */
  @GET
  @Path("{id}/files/{path: .+}")
  @Produces(MediaType.APPLICATION_OCTET_STREAM)
  InputStream read(@PathParam("id") String id, @PathParam("path") String path)
      throws StevedoreException;

  /** A directory as a tar archive ({@code archive=tar}) or zip ({@code zip}). */
  @GET
  @Path("{id}/files/{path: .+}")
  @Produces({"application/x-tar", "application/zip"})
  InputStream archive(
      @PathParam("id") String id,
      @PathParam("path") String path,
      @QueryParam("archive") String archive)
      throws StevedoreException;
}
