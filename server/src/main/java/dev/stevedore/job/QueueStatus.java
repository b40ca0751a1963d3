package dev.stevedore.job;

import jakarta.enterprise.context.ApplicationScoped;

/**
 * What this node's dispatcher last saw: free slots and whether the engine answered. It tells a
 * queued job why it waits without writing anything per pass.
 */
@ApplicationScoped
public class QueueStatus {

  private volatile int freeSlots = -1;
  private volatile boolean engineAvailable = true;

  public void freeSlots(int free) {
    this.freeSlots = free;
  }

  public void engineAvailable(boolean available) {
    this.engineAvailable = available;
  }

  /** Free slots at the last pass; -1 before the first. */
  public int freeSlots() {
    return freeSlots;
  }

  public boolean engineAvailable() {
    return engineAvailable;
  }
}
