package dev.stevedore.client;

import dev.stevedore.rest.Problem;

/** 400: the request was refused as it stands (see {@link #fieldErrors()}); nothing changed. */
public class InvalidRequestException extends StevedoreException {

  private static final long serialVersionUID = 1L;

  public InvalidRequestException(Problem problem) {
    super(problem);
  }
}
