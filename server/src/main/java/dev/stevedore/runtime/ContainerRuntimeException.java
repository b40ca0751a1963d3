package dev.stevedore.runtime;

/**
 * The container engine failed. {@link #engineUnreachable()} tells a daemon that could not be
 * reached (try again later) from one that answered with a refusal (trying again will not help).
 */
public class ContainerRuntimeException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final boolean engineUnreachable;

  public ContainerRuntimeException(String message, boolean engineUnreachable, Throwable cause) {
    super(message, cause);
    this.engineUnreachable = engineUnreachable;
  }

  public boolean engineUnreachable() {
    return engineUnreachable;
  }
}
