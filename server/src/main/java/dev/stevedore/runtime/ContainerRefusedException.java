package dev.stevedore.runtime;

/**
 * The engine answered, and said no: to this container, for this job (a bad command, a missing
 * container). It says nothing about the engine's health, so it neither trips a circuit breaker nor
 * is retried.
 */
public class ContainerRefusedException extends ContainerRuntimeException {
  private static final long serialVersionUID = 1L;

  public ContainerRefusedException(String message, Throwable cause) {
    super(message, false, cause);
  }
}
