package dev.stevedore.runtime;

import java.util.List;
import java.util.Map;

/**
 * One container to create.
 *
 * @param name unique and deterministic: {@code stevedore-<jobId>-<attempt>}
 * @param command null for the image's default
 * @param nanoCpus CPU quota in billionths of a CPU
 * @param network {@code none} or {@code bridge}
 */
public record ContainerSpec(
    String name,
    String image,
    List<String> command,
    Map<String, String> env,
    Map<String, String> labels,
    long memoryBytes,
    long nanoCpus,
    long pidsLimit,
    String network) {}
