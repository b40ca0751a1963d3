package dev.stevedore.job;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.stevedore.core.FieldError;
import dev.stevedore.core.InvalidInputException;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class JobLimitsTest {

  private final JobLimits limits = configured();

  private static JobLimits configured() {
    JobLimits limits = new JobLimits();
    limits.defaultTimeoutSeconds = 3600;
    limits.maxTimeoutSeconds = 7200;
    limits.defaultMemoryMb = 512;
    limits.maxMemoryMb = 1024;
    limits.defaultCpus = 1.0;
    limits.maxCpus = 2.0;
    limits.defaultPids = 256;
    limits.maxPids = 1000;
    limits.defaultPriority = 50;
    limits.minPriority = 0;
    limits.maxPriority = 100;
    limits.maxAttempts = 5;
    limits.allowBridgeNetwork = false;
    limits.images = new dev.stevedore.runtime.ImagePolicy(java.util.List.of());
    return limits;
  }

  private static JobSpec spec(
      JobSpec.Resources resources, Integer timeout, Integer priority, String network) {
    return new JobSpec(
        null, "img", null, null, null, null, resources, timeout, priority, null, network, null,
        null, null);
  }

  @Test
  void fillsInDefaults() {
    JobSpec effective = limits.apply(spec(null, null, null, null));

    assertEquals(new JobSpec.Resources(1.0, 512, 256), effective.resources());
    assertEquals(3600, effective.timeoutSeconds());
    assertEquals(50, effective.priority());
    assertEquals("none", effective.network());
    assertEquals(Map.of(), effective.env());
  }

  @Test
  void keepsValuesWithinTheMaxima() {
    JobSpec effective =
        limits.apply(spec(new JobSpec.Resources(2.0, 1024, 1000), 7200, 100, "none"));

    assertEquals(new JobSpec.Resources(2.0, 1024, 1000), effective.resources());
    assertEquals(7200, effective.timeoutSeconds());
  }

  @Test
  void refusesEveryValueAboveAMaximumAndNamesIt() {
    InvalidInputException refused =
        assertThrows(
            InvalidInputException.class,
            () -> limits.apply(spec(new JobSpec.Resources(2.5, 2048, 1001), 7201, 101, "bridge")));

    assertEquals(
        List.of(
            "resources.cpus",
            "resources.memoryMb",
            "resources.pids",
            "timeoutSeconds",
            "priority",
            "network"),
        refused.errors().stream().map(FieldError::field).toList());
  }
}
