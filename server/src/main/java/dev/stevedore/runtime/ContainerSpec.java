package dev.stevedore.runtime;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * One container to create.
 *
 * @param name unique and deterministic: {@code stevedore-<jobId>-<attempt>}
 * @param command null for the image's default
 * @param network {@code none} or {@code bridge}
 * @param mounts the only host paths the container sees
 */
public record ContainerSpec(
    String name,
    String image,
    List<String> command,
    Map<String, String> env,
    Map<String, String> labels,
    Limits limits,
    Sandbox sandbox,
    String network,
    List<Mount> mounts) {

  /**
   * Resource limits.
   *
   * @param nanoCpus CPU quota in billionths of a CPU
   */
  public record Limits(long memoryBytes, long nanoCpus, long pids) {}

  /** A host directory bound into the container. */
  public record Mount(Path source, String target, boolean readOnly) {}
}
