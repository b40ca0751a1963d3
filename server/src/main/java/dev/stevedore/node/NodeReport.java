package dev.stevedore.node;

/**
 * What a node writes with each heartbeat: where it answers, which engine it drives, its version,
 * its slots and running jobs, its load averages and the free disk of its data directory.
 */
public record NodeReport(
    String advertisedUrl,
    String engineId,
    String version,
    int slots,
    int running,
    Double load1,
    Double load5,
    Double load15,
    Long diskFreeBytes) {}
