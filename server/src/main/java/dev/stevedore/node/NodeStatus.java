package dev.stevedore.node;

import java.time.Instant;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** What a load balancer or an operator needs to know of this node, as last sampled. */
@Schema(description = "This node's resources and load")
public record NodeStatus(
    @Schema(description = "The node's name, as on its containers' labels") String node,
    @Schema(description = "When the resources were last sampled") Instant sampledAt,
    @Schema(
            description =
                "Share of the node still free, 0 to 1: the smallest of free job slots / slots, 1 -"
                    + " load1 / CPUs and available / total memory; 0 while the node is not ready"
                    + " (engine unreachable, database unreachable or disk below its threshold)."
                    + " Sort nodes by it, highest first.",
            example = "0.5")
        double capacity,
    Cpu cpu,
    Memory memory,
    Disk disk,
    Engine engine,
    Jobs jobs) {

  @Schema(name = "NodeCpu", description = "Processors and load")
  public record Cpu(
      @Schema(description = "Logical processors of the machine") int count,
      @Schema(
              description =
                  "Busy processors averaged over 1 minute (exponentially weighted, sampled every"
                      + " few seconds)")
          double load1,
      @Schema(description = "The same over 5 minutes") double load5,
      @Schema(description = "The same over 15 minutes") double load15,
      @Schema(description = "The operating system's own 1, 5, 15 minute load average, if any")
          List<Double> osLoadAverage) {}

  @Schema(name = "NodeMemory", description = "Main memory")
  public record Memory(long totalBytes, long availableBytes) {}

  @Schema(name = "NodeDisk", description = "The file system of the data directory")
  public record Disk(
      String path,
      long totalBytes,
      @Schema(description = "Bytes this server may still write") long freeBytes,
      @Schema(description = "Readiness is DOWN below this") long minFreeBytes) {}

  @Schema(name = "NodeEngine", description = "The Docker engine")
  public record Engine(
      boolean reachable,
      String endpoint,
      String version,
      String apiVersion,
      String storageDriver,
      Integer containersRunning,
      Integer images,
      @Schema(description = "Why the engine could not be read, when it could not") String error,
      @Schema(description = "The engine's own id: nodes with the same one share an engine")
          String id) {}

  @Schema(name = "NodeJobs", description = "Job counts")
  public record Jobs(
      @Schema(description = "Running on this node") int running,
      @Schema(description = "Queued, for every node of the database") long queued,
      @Schema(description = "Most jobs at once on this node") int maxConcurrent,
      @Schema(description = "maxConcurrent - running") int freeSlots) {}
}
