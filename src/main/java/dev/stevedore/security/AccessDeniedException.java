package dev.stevedore.security;

import dev.stevedore.rest.ApiException;

/** The caller's key may not do this: 403. */
public class AccessDeniedException extends ApiException {

  public AccessDeniedException(String detail) {
    super(403, "forbidden", "Not allowed for this key", detail);
  }
}
