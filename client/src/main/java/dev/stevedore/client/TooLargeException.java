package dev.stevedore.client;

import dev.stevedore.rest.Problem;

/** 413: the request or its files are larger than the server takes. */
public class TooLargeException extends StevedoreException {

  private static final long serialVersionUID = 1L;

  public TooLargeException(Problem problem) {
    super(problem);
  }
}
