package dev.stevedore.node;

import jakarta.json.bind.annotation.JsonbPropertyOrder;
import java.time.Instant;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** This node's samples of the last hour, oldest first: what a chart of the node needs. */
@Schema(description = "The node's samples of the last hour, oldest first")
@JsonbPropertyOrder({"node", "intervalSeconds", "points"})
public record NodeHistory(String node, int intervalSeconds, List<Point> points) {

  /** One sample. */
  @Schema(name = "NodeHistoryPoint")
  @JsonbPropertyOrder({
    "at",
    "load1",
    "memoryUsedBytes",
    "memoryTotalBytes",
    "diskFreeBytes",
    "running",
    "queued"
  })
  public record Point(
      Instant at,
      @Schema(description = "Busy processors averaged over 1 minute") double load1,
      long memoryUsedBytes,
      long memoryTotalBytes,
      long diskFreeBytes,
      @Schema(description = "Jobs running on this node") int running,
      @Schema(description = "Queued jobs of every node") long queued) {}
}
