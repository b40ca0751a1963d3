package dev.stevedore.client;

import dev.stevedore.rest.Problem;

/** 409: the thing is not in a state that allows this, such as cancelling an ended job. */
public class ConflictException extends StevedoreException {

  private static final long serialVersionUID = 1L;

  public ConflictException(Problem problem) {
    super(problem);
  }
}
