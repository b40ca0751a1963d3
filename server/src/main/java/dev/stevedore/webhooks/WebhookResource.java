package dev.stevedore.webhooks;

import dev.stevedore.core.Audited;
import dev.stevedore.core.Role;
import jakarta.annotation.security.RolesAllowed;
import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponseSchema;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** Webhook subscriptions of the caller's tenant. */
@Path("/webhooks")
@RequestScoped
@RolesAllowed(Role.VIEWER_NAME)
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Webhooks", description = "Calls to other systems when jobs change")
@APIResponse(responseCode = "400", ref = "Invalid")
public class WebhookResource {

  @Inject WebhookService webhooks;

  @POST
  @RolesAllowed(Role.OPERATOR_NAME)
  @Consumes(MediaType.APPLICATION_JSON)
  @Audited("webhook.create")
  @Operation(
      summary = "Subscribe",
      description =
          "Events: job.queued, job.started, job.succeeded, job.failed, job.timed_out,"
              + " job.cancelled, and job.log with a logPattern. The answer holds the signing"
              + " secret (whsec_…) this once.")
  @APIResponseSchema(
      value = WebhookService.WebhookView.class,
      responseCode = "201",
      responseDescription = "Subscribed; 'secret' holds the signing secret this once")
  public Response create(WebhookService.WebhookRequest request) {
    return Response.status(Response.Status.CREATED).entity(webhooks.create(request)).build();
  }

  @GET
  @Operation(summary = "List subscriptions")
  @APIResponse(responseCode = "200", description = "The subscriptions")
  public List<WebhookService.WebhookView> list() {
    return webhooks.list();
  }

  @DELETE
  @Path("{id}")
  @RolesAllowed(Role.OPERATOR_NAME)
  @Audited("webhook.delete")
  @Operation(summary = "Unsubscribe", description = "Pending deliveries are dropped.")
  @APIResponse(responseCode = "204", description = "Deleted")
  @APIResponse(responseCode = "404", ref = "NotFound")
  public Response delete(@PathParam("id") @Audited.Target String id) {
    webhooks.delete(id);
    return Response.noContent().build();
  }

  @GET
  @Path("{id}/deliveries")
  @Operation(
      summary = "Delivery history, newest first",
      description = "Status code, latency and tries of each.")
  @APIResponse(responseCode = "404", ref = "NotFound")
  @APIResponse(responseCode = "200", description = "The deliveries")
  public List<WebhookService.DeliveryView> deliveries(@PathParam("id") String id) {
    return webhooks.deliveries(id);
  }
}
