package dev.stevedore.core;

/** The request is valid but the state of what it names does not allow it now. */
public class ConflictException extends NamedRefusal {

  private static final long serialVersionUID = 1L;

  public ConflictException(String reason, String summary, String detail) {
    super(reason, summary, detail);
  }
}
