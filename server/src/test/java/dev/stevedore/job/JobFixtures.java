package dev.stevedore.job;

import dev.stevedore.core.JobId;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * Jobs made the way a submission makes them, for tests that store them through {@link
 * JobRepository} without the rest of a submission (the in-server tests of it.inserver). Jobs are
 * made only here, in their package, so the tests need no other door into it.
 */
public final class JobFixtures {

  /** An image no test server can pull: a job that starts by accident fails at once. */
  public static final String IMAGE = "stevedore-it/never-pulled:never";

  private JobFixtures() {}

  /** The spec of a job named {@code name}, as the server stores it once defaults are in. */
  public static JobSpec spec(String name, int priority, Map<String, String> labels) {
    return new JobSpec(
        name,
        IMAGE,
        List.of("true"),
        null,
        null,
        null,
        null,
        60,
        priority,
        null,
        null,
        labels,
        null,
        null);
  }

  /** A new QUEUED job of {@code tenant}, not stored yet. */
  public static Job job(String tenant, JobSpec spec, String idempotencyKey) {
    String json = JobSpecJson.write(spec);
    return new Job(
        JobId.next(),
        tenant,
        null,
        spec,
        json,
        JobSpecJson.digest(json),
        idempotencyKey,
        Instant.now());
  }

  /** Keeps a queued job from starting before {@code when}, as a retry's backoff does. */
  public static void notBefore(Job job, Instant when) {
    job.notBefore(when);
  }

  /** Records the job's exit code on its last history entry, as the end of an attempt does. */
  public static void exitCode(Job job, Integer exitCode) {
    job.exitCode(exitCode);
  }
}
