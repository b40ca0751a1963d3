package dev.stevedore.job;

import dev.stevedore.core.JobId;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What a listing asks for: the tenant (all for an administrator), any of the states (all when
 * empty), an exact name, a name prefix, labels that must all match, ids below {@code before} (the
 * cursor), and at most {@code limit} jobs.
 */
public record JobQuery(
    Optional<String> tenant,
    List<JobState> states,
    String name,
    String namePrefix,
    Map<String, String> labels,
    JobId before,
    int limit) {}
