package dev.stevedore.pool;

import jakarta.json.bind.annotation.JsonbPropertyOrder;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** How a pool's containers stand, per node. */
public record PoolStatus(List<Node> nodes) {

  /**
   * One node's containers of the pool and what the pool did there since the node started.
   *
   * @param hits jobs that found a warm container free
   * @param misses jobs that found none: they waited, or started cold
   * @param failed containers that could not be made warm (start or init failed), and warm or busy
   *     ones that ended unasked
   */
  @JsonbPropertyOrder({
    "node",
    "warm",
    "busy",
    "starting",
    "failed",
    "hits",
    "misses",
    "lastFailure"
  })
  public record Node(
      String node,
      @Schema(description = "Started, ready and free.") int warm,
      @Schema(description = "Running a job.") int busy,
      @Schema(description = "Being started, or running their init.") int starting,
      long failed,
      long hits,
      long misses,
      @Schema(description = "Why the last container failed, if one did.") String lastFailure) {}
}
