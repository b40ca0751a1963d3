package dev.stevedore.batch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.stevedore.job.JobSpec;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ItemSpecsTest {

  private static final JobSpec TEMPLATE =
      new JobSpec(
          "t",
          "stevedore/agent:latest",
          List.of("sh", "-c", "run"),
          "the prompt",
          Map.of("A", "1", "B", "2"),
          null,
          null,
          60,
          null,
          new JobSpec.RetryPolicy(1, 5, List.of(3)),
          null,
          Map.of("team", "data"),
          null,
          null);

  @Test
  void itemOverridesEnvArgsAndPromptAndIsNamedAndLabelledForItsBatch() {
    JobSpec spec =
        ItemSpecs.of(
            TEMPLATE,
            "b1",
            "csv",
            7,
            0,
            new BatchRequest.ItemOverrides(
                Map.of("B", "x", "C", "3"), List.of("--file", "7.csv"), "other"));
    assertEquals("csv-item-7", spec.name());
    assertEquals(List.of("sh", "-c", "run", "--file", "7.csv"), spec.command());
    assertEquals(Map.of("A", "1", "B", "x", "C", "3"), spec.env());
    assertEquals("other", spec.prompt());
    assertEquals(
        Map.of("team", "data", "stevedore.batch", "b1", "stevedore.item", "7"), spec.labels());
    assertEquals(TEMPLATE.retry(), spec.retry());
    assertEquals(60, spec.timeoutSeconds());
  }

  @Test
  void emptyOverridesKeepTheTemplateAndRetriesSetTheAttempts() {
    JobSpec spec = ItemSpecs.of(TEMPLATE, "b1", null, 0, 2, BatchRequest.ItemOverrides.NONE);
    assertEquals("batch-item-0", spec.name());
    assertEquals(TEMPLATE.command(), spec.command());
    assertEquals(TEMPLATE.env(), spec.env());
    assertEquals("the prompt", spec.prompt());
    assertEquals(new JobSpec.RetryPolicy(3, 5, List.of(3)), spec.retry());
  }

  @Test
  void aTemplateWithoutCommandGetsTheArgsAlone() {
    JobSpec bare =
        new JobSpec(
            null, "img", null, null, null, null, null, null, null, null, null, null, null, null);
    JobSpec spec =
        ItemSpecs.of(
            bare, "b", null, 1, 0, new BatchRequest.ItemOverrides(null, List.of("x"), null));
    assertEquals(List.of("x"), spec.command());
    assertNull(spec.env());
  }
}
