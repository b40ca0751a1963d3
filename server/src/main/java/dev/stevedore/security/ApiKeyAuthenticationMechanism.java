package dev.stevedore.security;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.security.enterprise.AuthenticationStatus;
import jakarta.security.enterprise.authentication.mechanism.http.HttpAuthenticationMechanism;
import jakarta.security.enterprise.authentication.mechanism.http.HttpMessageContext;
import jakarta.security.enterprise.identitystore.CredentialValidationResult;
import jakarta.security.enterprise.identitystore.IdentityStoreHandler;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

/**
 * Reads {@code Authorization: Bearer <key>} on requests under {@code /api} and {@code /ws/} and
 * tells the container who calls. It never answers itself: a request without a valid key goes on
 * unauthenticated, and {@link ApiAccessFilter} (for the API) or the WebSocket ticket filter (for
 * streams) refuses it with one problem document before any route is looked at. Keys are read from
 * this header only, never from the URL. Health, metrics and the OpenAPI document stay open.
 */
@ApplicationScoped
public class ApiKeyAuthenticationMechanism implements HttpAuthenticationMechanism {

  private static final String BEARER = "Bearer ";

  @Inject IdentityStoreHandler identityStores;

  @Override
  public AuthenticationStatus validateRequest(
      HttpServletRequest request, HttpServletResponse response, HttpMessageContext context) {
    String path = request.getRequestURI().substring(request.getContextPath().length());
    if (!ApiAccessFilter.isApi(path) && !path.startsWith("/ws/")) {
      return context.doNothing();
    }
    String key = bearerKey(request.getHeader("Authorization"));
    if (key != null) {
      CredentialValidationResult result = identityStores.validate(new ApiKeyCredential(key));
      if (result.getStatus() == CredentialValidationResult.Status.VALID) {
        return context.notifyContainerAboutLogin(result);
      }
    }
    return context.doNothing();
  }

  private static String bearerKey(String header) {
    if (header == null || !header.regionMatches(true, 0, BEARER, 0, BEARER.length())) {
      return null;
    }
    String key = header.substring(BEARER.length()).trim();
    return key.isEmpty() ? null : key;
  }
}
