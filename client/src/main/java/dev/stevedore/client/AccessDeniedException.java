package dev.stevedore.client;

import dev.stevedore.rest.Problem;

/** 403: the key's role does not allow this. */
public class AccessDeniedException extends StevedoreException {

  private static final long serialVersionUID = 1L;

  public AccessDeniedException(Problem problem) {
    super(problem);
  }
}
