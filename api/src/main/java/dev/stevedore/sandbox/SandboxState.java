package dev.stevedore.sandbox;

/** Where a sandbox is in its life: its container starts, runs for execs, then is gone for good. */
public enum SandboxState {
  /** Its container is being made; it holds a running slot of its tenant already. */
  STARTING,
  /** Its container runs: execs and files are answered. */
  READY,
  /** Deleted, timed out, or its container ended; the reason says which. */
  ENDED;

  /** Whether the sandbox holds a container, or is about to. */
  public boolean isLive() {
    return this != ENDED;
  }
}
