package dev.stevedore.job;

import dev.stevedore.core.FieldError;
import dev.stevedore.core.InvalidInputException;
import dev.stevedore.runtime.ImagePolicy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * The server's defaults and maxima for job specs. {@link #apply} fills in what a spec leaves out
 * and refuses what goes beyond a maximum: a limit is never silently lowered.
 */
@ApplicationScoped
public class JobLimits {

  public static final String NETWORK_NONE = "none";
  public static final String NETWORK_BRIDGE = "bridge";

  @Inject
  @ConfigProperty(name = "stevedore.jobs.default.timeout-seconds")
  int defaultTimeoutSeconds;

  @Inject
  @ConfigProperty(name = "stevedore.jobs.max.timeout-seconds")
  int maxTimeoutSeconds;

  @Inject
  @ConfigProperty(name = "stevedore.jobs.default.memory-mb")
  int defaultMemoryMb;

  @Inject
  @ConfigProperty(name = "stevedore.jobs.max.memory-mb")
  int maxMemoryMb;

  @Inject
  @ConfigProperty(name = "stevedore.jobs.default.cpus")
  double defaultCpus;

  @Inject
  @ConfigProperty(name = "stevedore.jobs.max.cpus")
  double maxCpus;

  @Inject
  @ConfigProperty(name = "stevedore.jobs.default.pids")
  int defaultPids;

  @Inject
  @ConfigProperty(name = "stevedore.jobs.max.pids")
  int maxPids;

  @Inject
  @ConfigProperty(name = "stevedore.jobs.default.priority")
  int defaultPriority;

  @Inject
  @ConfigProperty(name = "stevedore.jobs.min.priority")
  int minPriority;

  @Inject
  @ConfigProperty(name = "stevedore.jobs.max.priority")
  int maxPriority;

  @Inject
  @ConfigProperty(name = "stevedore.jobs.max.attempts")
  int maxAttempts;

  @Inject
  @ConfigProperty(name = "stevedore.jobs.allow-bridge-network")
  boolean allowBridgeNetwork;

  @Inject ImagePolicy images;

  /** The spec as it will run: defaults filled in. Throws 400 listing every limit it breaks. */
  public JobSpec apply(JobSpec spec) {
    List<FieldError> errors = new ArrayList<>();
    images.refusal(spec.image().trim()).ifPresent(why -> errors.add(new FieldError("image", why)));
    JobSpec.Resources asked =
        spec.resources() == null ? new JobSpec.Resources(null, null, null) : spec.resources();

    double cpus = orDefault(asked.cpus(), defaultCpus);
    int memoryMb = orDefault(asked.memoryMb(), defaultMemoryMb);
    int pids = orDefault(asked.pids(), defaultPids);
    int timeout = orDefault(spec.timeoutSeconds(), defaultTimeoutSeconds);
    int priority = orDefault(spec.priority(), defaultPriority);
    String network = spec.network() == null ? NETWORK_NONE : spec.network();

    atMost(errors, "resources.cpus", cpus, maxCpus);
    atMost(errors, "resources.memoryMb", memoryMb, maxMemoryMb);
    atMost(errors, "resources.pids", pids, maxPids);
    atMost(errors, "timeoutSeconds", timeout, maxTimeoutSeconds);
    if (priority < minPriority || priority > maxPriority) {
      errors.add(
          new FieldError("priority", "must be between " + minPriority + " and " + maxPriority));
    }
    if (!network.equals(NETWORK_NONE) && !network.equals(NETWORK_BRIDGE)) {
      errors.add(new FieldError("network", "must be 'none' or 'bridge'"));
    } else if (network.equals(NETWORK_BRIDGE) && !allowBridgeNetwork) {
      errors.add(
          new FieldError("network", "'bridge' is not allowed by this server's configuration"));
    }
    if (spec.env() != null && spec.secrets() != null) {
      for (String name : spec.secrets().keySet()) {
        if (spec.env().containsKey(name)) {
          errors.add(new FieldError("secrets[" + name + "]", "is also in env"));
        }
      }
    }
    if (spec.command() != null) {
      long chars = spec.command().stream().mapToLong(a -> a == null ? 0 : a.length()).sum();
      if (chars > JobSpec.MAX_COMMAND_CHARS) {
        errors.add(
            new FieldError(
                "command",
                "holds "
                    + chars
                    + " characters; at most "
                    + JobSpec.MAX_COMMAND_CHARS
                    + " in all arguments together"));
      }
    }
    JobSpec.RetryPolicy retry = spec.retry();
    if (retry != null && retry.maxAttempts() != null) {
      atMost(errors, "retry.maxAttempts", retry.maxAttempts(), maxAttempts);
    }
    if (!errors.isEmpty()) {
      throw InvalidInputException.of(errors);
    }
    return new JobSpec(
        spec.name(),
        spec.image().trim(),
        spec.command() == null ? null : List.copyOf(spec.command()),
        spec.prompt(),
        sorted(spec.env()),
        sorted(spec.secrets()),
        new JobSpec.Resources(cpus, memoryMb, pids),
        timeout,
        priority,
        retry,
        network,
        sorted(spec.labels()),
        spec.callbacks() == null ? List.of() : List.copyOf(spec.callbacks()),
        spec.pool());
  }

  /** Maps in key order, so that equal specs are stored as equal JSON. */
  private static Map<String, String> sorted(Map<String, String> map) {
    return map == null ? Map.of() : Collections.unmodifiableMap(new TreeMap<>(map));
  }

  private static void atMost(List<FieldError> errors, String field, double value, double max) {
    if (value > max) {
      errors.add(new FieldError(field, "must be at most " + format(max) + " on this server"));
    }
  }

  private static String format(double value) {
    return value == Math.rint(value) ? Long.toString((long) value) : Double.toString(value);
  }

  private static int orDefault(Integer value, int fallback) {
    return value == null ? fallback : value;
  }

  private static double orDefault(Double value, double fallback) {
    return value == null ? fallback : value;
  }
}
