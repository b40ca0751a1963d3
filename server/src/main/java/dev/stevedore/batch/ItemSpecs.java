package dev.stevedore.batch;

import dev.stevedore.job.JobSpec;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The job spec of one item: the template with the item's overrides, named and labelled for it. */
final class ItemSpecs {

  /** The labels that tie an item's job to its batch. */
  static final String BATCH_LABEL = "stevedore.batch";

  static final String ITEM_LABEL = "stevedore.item";

  private ItemSpecs() {}

  static JobSpec of(
      JobSpec template,
      String batchId,
      String batchName,
      int index,
      int itemRetries,
      BatchRequest.ItemOverrides item) {
    Map<String, String> env = new LinkedHashMap<>();
    if (template.env() != null) {
      env.putAll(template.env());
    }
    if (item.env() != null) {
      env.putAll(item.env());
    }
    List<String> command = template.command() == null ? null : new ArrayList<>(template.command());
    if (item.args() != null && !item.args().isEmpty()) {
      command = command == null ? new ArrayList<>() : command;
      command.addAll(item.args());
    }
    Map<String, String> labels = new LinkedHashMap<>();
    if (template.labels() != null) {
      labels.putAll(template.labels());
    }
    labels.put(BATCH_LABEL, batchId);
    labels.put(ITEM_LABEL, Integer.toString(index));
    JobSpec.RetryPolicy retry =
        itemRetries == 0
            ? template.retry()
            : new JobSpec.RetryPolicy(
                itemRetries + 1,
                template.retry() == null ? null : template.retry().backoffSeconds(),
                template.retry() == null ? null : template.retry().onExitCodes());
    return new JobSpec(
        (batchName == null ? "batch" : batchName) + "-item-" + index,
        template.image(),
        command,
        item.prompt() != null ? item.prompt() : template.prompt(),
        env.isEmpty() ? null : env,
        template.secrets(),
        template.resources(),
        template.timeoutSeconds(),
        template.priority(),
        retry,
        template.network(),
        labels,
        template.callbacks(),
        template.pool());
  }
}
