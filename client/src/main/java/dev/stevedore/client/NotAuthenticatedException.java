package dev.stevedore.client;

import dev.stevedore.rest.Problem;

/** 401: no key, or a key that is unknown or revoked. */
public class NotAuthenticatedException extends StevedoreException {

  private static final long serialVersionUID = 1L;

  public NotAuthenticatedException(Problem problem) {
    super(problem);
  }
}
