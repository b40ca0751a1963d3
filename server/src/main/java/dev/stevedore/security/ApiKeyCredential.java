package dev.stevedore.security;

import jakarta.security.enterprise.credential.Credential;

/** The key a request presented as {@code Authorization: Bearer <key>}. */
record ApiKeyCredential(String key) implements Credential {

  @Override
  public String toString() {
    return "ApiKeyCredential[***]"; // never the key, wherever this ends up
  }
}
