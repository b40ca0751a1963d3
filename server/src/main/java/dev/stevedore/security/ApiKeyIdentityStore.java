package dev.stevedore.security;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.security.enterprise.credential.Credential;
import jakarta.security.enterprise.identitystore.CredentialValidationResult;
import jakarta.security.enterprise.identitystore.IdentityStore;

/**
 * Validates API keys. The caller's name is the key's id (never its secret); its groups are its role
 * and every role that role includes, which the server maps to roles of the same names.
 */
@ApplicationScoped
public class ApiKeyIdentityStore implements IdentityStore {

  @Inject ApiKeyService keys;

  @Override
  public CredentialValidationResult validate(Credential credential) {
    if (!(credential instanceof ApiKeyCredential presented)) {
      return CredentialValidationResult.NOT_VALIDATED_RESULT;
    }
    return keys.authenticate(presented.key())
        .map(key -> new CredentialValidationResult(key.id(), key.role().groups()))
        .orElse(CredentialValidationResult.INVALID_RESULT);
  }
}
