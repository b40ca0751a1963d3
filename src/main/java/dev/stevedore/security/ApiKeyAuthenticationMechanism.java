package dev.stevedore.security;

import dev.stevedore.rest.Problem;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.json.bind.Jsonb;
import jakarta.json.bind.JsonbBuilder;
import jakarta.security.enterprise.AuthenticationStatus;
import jakarta.security.enterprise.authentication.mechanism.http.HttpAuthenticationMechanism;
import jakarta.security.enterprise.authentication.mechanism.http.HttpMessageContext;
import jakarta.security.enterprise.identitystore.CredentialValidationResult;
import jakarta.security.enterprise.identitystore.IdentityStoreHandler;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;

/**
 * Every request under {@code /api/} must carry {@code Authorization: Bearer <key>}. A missing,
 * malformed, unknown or revoked key gets one and the same 401, so a caller learns nothing about
 * which it was. Keys are read from this header only, never from the URL. Health, metrics and the
 * OpenAPI document are outside {@code /api/} and stay open.
 */
@ApplicationScoped
public class ApiKeyAuthenticationMechanism implements HttpAuthenticationMechanism {

  private static final String BEARER = "Bearer ";
  private static final Jsonb JSONB = JsonbBuilder.create();
  private static final String UNAUTHORIZED =
      JSONB.toJson(
          new Problem(
              "urn:stevedore:problem:unauthorized",
              "Authentication required",
              401,
              "Send a valid API key as 'Authorization: Bearer <key>'",
              null,
              null));

  @Inject IdentityStoreHandler identityStores;

  @Override
  public AuthenticationStatus validateRequest(
      HttpServletRequest request, HttpServletResponse response, HttpMessageContext context) {
    String path = request.getRequestURI().substring(request.getContextPath().length());
    if (!path.startsWith("/api/")) {
      return context.doNothing();
    }
    String header = request.getHeader("Authorization");
    if (header != null && header.regionMatches(true, 0, BEARER, 0, BEARER.length())) {
      String key = header.substring(BEARER.length()).trim();
      if (!key.isEmpty()) {
        CredentialValidationResult result = identityStores.validate(new ApiKeyCredential(key));
        if (result.getStatus() == CredentialValidationResult.Status.VALID) {
          return context.notifyContainerAboutLogin(result);
        }
      }
    }
    return unauthorized(response);
  }

  private static AuthenticationStatus unauthorized(HttpServletResponse response) {
    try {
      response.setStatus(HttpServletResponse.SC_UNAUTHORIZED);
      response.setHeader("WWW-Authenticate", "Bearer realm=\"stevedore\"");
      response.setContentType(Problem.MEDIA_TYPE);
      response.setCharacterEncoding(StandardCharsets.UTF_8.name());
      response.getWriter().write(UNAUTHORIZED);
    } catch (IOException e) {
      // The client has gone; nothing to tell it.
    }
    return AuthenticationStatus.SEND_FAILURE;
  }
}
