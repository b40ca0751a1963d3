package dev.stevedore.runtime;

/**
 * The engine cannot be used now, though nothing says it is gone for good: calls to it are paused
 * after repeated failures, too many are under way at once, or it did not answer in time. A job that
 * meets this waits for the engine; trying again later may work. The message says why, in a few
 * words.
 */
public class EngineUnavailableException extends ContainerRuntimeException {

  private static final long serialVersionUID = 1L;

  public EngineUnavailableException(String why, Throwable cause) {
    super(why, true, cause);
  }
}
