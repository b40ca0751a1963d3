package dev.stevedore.job;

import java.util.List;
import java.util.Map;

/**
 * Job specs for tests, as they run: every default filled in, as a submission fills them. Each
 * method returns a changed copy.
 */
public final class Specs {

  public static final String IMAGE = "stevedore/agent:latest";

  private final JobSpec spec;

  private Specs(JobSpec spec) {
    this.spec = spec;
  }

  /** {@code sh -c run} in {@link #IMAGE}: 1 CPU, 256 MiB, 128 pids, 60 s, no retry, no network. */
  public static Specs job() {
    return new Specs(
        new JobSpec(
            "job",
            IMAGE,
            List.of("sh", "-c", "run"),
            null,
            Map.of(),
            null,
            new JobSpec.Resources(1.0, 256, 128),
            60,
            0,
            null,
            "none",
            Map.of(),
            null,
            null));
  }

  public JobSpec spec() {
    return spec;
  }

  public Specs image(String image) {
    return new Specs(
        new JobSpec(
            spec.name(),
            image,
            spec.command(),
            spec.prompt(),
            spec.env(),
            spec.secrets(),
            spec.resources(),
            spec.timeoutSeconds(),
            spec.priority(),
            spec.retry(),
            spec.network(),
            spec.labels(),
            spec.callbacks(),
            null));
  }

  public Specs priority(int priority) {
    return new Specs(
        new JobSpec(
            spec.name(),
            spec.image(),
            spec.command(),
            spec.prompt(),
            spec.env(),
            spec.secrets(),
            spec.resources(),
            spec.timeoutSeconds(),
            priority,
            spec.retry(),
            spec.network(),
            spec.labels(),
            spec.callbacks(),
            null));
  }

  public Specs timeoutSeconds(int seconds) {
    return new Specs(
        new JobSpec(
            spec.name(),
            spec.image(),
            spec.command(),
            spec.prompt(),
            spec.env(),
            spec.secrets(),
            spec.resources(),
            seconds,
            spec.priority(),
            spec.retry(),
            spec.network(),
            spec.labels(),
            spec.callbacks(),
            null));
  }

  /** Retries: this many attempts in all, the backoff before the second, on these codes (or any). */
  public Specs retry(int maxAttempts, int backoffSeconds, Integer... onExitCodes) {
    return new Specs(
        new JobSpec(
            spec.name(),
            spec.image(),
            spec.command(),
            spec.prompt(),
            spec.env(),
            spec.secrets(),
            spec.resources(),
            spec.timeoutSeconds(),
            spec.priority(),
            new JobSpec.RetryPolicy(
                maxAttempts, backoffSeconds, onExitCodes.length == 0 ? null : List.of(onExitCodes)),
            spec.network(),
            spec.labels(),
            spec.callbacks(),
            null));
  }

  public Specs env(Map<String, String> env, Map<String, String> secrets) {
    return new Specs(
        new JobSpec(
            spec.name(),
            spec.image(),
            spec.command(),
            spec.prompt(),
            env,
            secrets,
            spec.resources(),
            spec.timeoutSeconds(),
            spec.priority(),
            spec.retry(),
            spec.network(),
            spec.labels(),
            spec.callbacks(),
            null));
  }
}
