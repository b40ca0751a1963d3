package dev.stevedore.core;

/** The caller is known but its role does not allow the action. */
public class AccessDeniedException extends DomainException {

  private static final long serialVersionUID = 1L;

  public AccessDeniedException(String detail) {
    super(detail);
  }
}
