package dev.stevedore.client;

import dev.stevedore.rest.Problem;

/** 404: there is no such thing, or it belongs to another tenant. */
public class NotFoundException extends StevedoreException {

  private static final long serialVersionUID = 1L;

  public NotFoundException(Problem problem) {
    super(problem);
  }
}
