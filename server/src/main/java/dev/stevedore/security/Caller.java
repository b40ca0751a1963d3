package dev.stevedore.security;

import dev.stevedore.core.Role;
import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import jakarta.security.enterprise.SecurityContext;
import jakarta.servlet.http.HttpServletRequest;
import java.security.Principal;
import java.util.Optional;

/**
 * Who makes the current request: the key, its tenant and role, and the client's address. Every
 * lookup of jobs and files is scoped with it.
 */
@RequestScoped
public class Caller {

  @Inject SecurityContext security;
  @Inject ApiKeyService keys;
  @Inject HttpServletRequest request;

  private ApiKeyView key;

  private ApiKeyView key() {
    if (key == null) {
      Principal principal = security.getCallerPrincipal();
      if (principal == null) {
        throw new IllegalStateException("No authenticated caller");
      }
      key =
          keys.byId(principal.getName())
              .orElseThrow(() -> new IllegalStateException("Unknown key"));
    }
    return key;
  }

  public String keyId() {
    return key().id();
  }

  public String keyName() {
    return key().name();
  }

  public String tenantId() {
    return key().tenant();
  }

  public Role role() {
    return key().role();
  }

  public boolean isAdmin() {
    return role() == Role.ADMIN;
  }

  /** The tenant a lookup is limited to: the caller's, or none for an administrator. */
  public Optional<String> tenantScope() {
    return isAdmin() ? Optional.empty() : Optional.of(tenantId());
  }

  public String clientAddress() {
    return request.getRemoteAddr();
  }
}
