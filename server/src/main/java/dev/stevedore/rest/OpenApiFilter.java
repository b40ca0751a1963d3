package dev.stevedore.rest;

import org.eclipse.microprofile.openapi.OASFactory;
import org.eclipse.microprofile.openapi.OASFilter;
import org.eclipse.microprofile.openapi.models.Operation;
import org.eclipse.microprofile.openapi.models.responses.APIResponses;

/**
 * Adds to every operation of the API the error answers any call can get (no valid key, a role that
 * does not allow it, the rate limit), so that each resource method declares only its own.
 */
public class OpenApiFilter implements OASFilter {

  @Override
  public Operation filterOperation(Operation operation) {
    APIResponses responses = operation.getResponses();
    if (responses == null) {
      responses = OASFactory.createAPIResponses();
      operation.setResponses(responses);
    }
    addIfMissing(responses, "401", "Unauthorized");
    addIfMissing(responses, "403", "Forbidden");
    addIfMissing(responses, "429", "TooManyRequests");
    return operation;
  }

  private static void addIfMissing(APIResponses responses, String code, String component) {
    if (!responses.hasAPIResponse(code)) {
      responses.addAPIResponse(
          code, OASFactory.createAPIResponse().ref("#/components/responses/" + component));
    }
  }
}
