package dev.stevedore.batch;

import dev.stevedore.core.AccessDeniedException;
import dev.stevedore.core.DomainException;
import dev.stevedore.core.Ids;
import dev.stevedore.core.InvalidInputException;
import dev.stevedore.core.JobId;
import dev.stevedore.core.Role;
import dev.stevedore.job.IllegalTransitionException;
import dev.stevedore.job.Job;
import dev.stevedore.job.JobLifecycle;
import dev.stevedore.job.JobNotFoundException;
import dev.stevedore.job.JobRepository;
import dev.stevedore.job.JobService;
import dev.stevedore.job.JobSpec;
import dev.stevedore.job.JobSpecJson;
import dev.stevedore.job.JobState;
import dev.stevedore.rest.Violations;
import dev.stevedore.security.Caller;
import dev.stevedore.workspace.InputStager;
import jakarta.batch.operations.JobOperator;
import jakarta.batch.runtime.BatchRuntime;
import jakarta.batch.runtime.BatchStatus;
import jakarta.batch.runtime.JobExecution;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import jakarta.validation.Validator;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;

/**
 * Batches: submission, progress, and the operators' stop, restart and abandon, on top of the
 * Jakarta Batch runtime whose job repository lives in the application's database.
 *
 * <p>The views are use cases of one transaction each. The operations that hand a batch to the
 * runtime (submit, stop, restart, abandon) are not: the runtime runs a batch on threads of its own
 * and keeps its own state in transactions of its own, so what it must see is committed before it is
 * asked (each such write is a transaction of its own, see {@link BatchRepository}). A refusal (a
 * {@link DomainException}) is made before anything is written and is an answer, not a fault.
 */
@ApplicationScoped
public class BatchService {

  static final String JOB_XML = "stevedore-batch";
  private static final int DEFAULT_PARALLELISM = 4;
  private static final int DEFAULT_CHECKPOINT_EVERY = 10;

  /** The longest a chunk's transaction may last; an item's job is awaited no longer. */
  static final Duration LONGEST_CHUNK = Duration.ofDays(30);

  @Inject BatchRepository store;
  @Inject dev.stevedore.core.NodeIdentity node;
  @Inject BatchFiles files;
  @Inject JobService jobs;
  @Inject JobLifecycle lifecycle;
  @Inject JobRepository jobRepository;
  @Inject Caller caller;
  @Inject Validator validator;
  @Inject InputStager stager;

  /**
   * Stores the batch and its items (and each item's uploaded file, if any), then starts it. Every
   * spec is checked (its callbacks' targets too) before any file is written; the batch is committed
   * before the runtime starts it, and forgotten again if the runtime will not.
   */
  public BatchView submit(BatchRequest request, List<InputStager.Upload> uploads) {
    BatchRequest checked = Violations.check(validator, request, "batch");
    JobSpec template;
    try {
      template = jobs.checked(checked.template(), caller.tenantId());
    } catch (InvalidInputException e) {
      throw e.prefixed("template");
    }
    List<BatchRequest.ItemOverrides> items = items(checked, uploads);
    String id = Ids.next();
    int retries = orDefault(checked.itemRetries(), 0);
    for (int i = 0; i < items.size(); i++) {
      JobSpec spec;
      try {
        spec =
            jobs.checked(
                ItemSpecs.of(template, id, checked.name(), i, retries, items.get(i)),
                caller.tenantId());
      } catch (InvalidInputException e) {
        throw e.prefixed("items[" + i + "]");
      }
      String input = uploads.isEmpty() ? null : BatchFiles.checkedName(uploads.get(i).name());
      if (spec.prompt() != null && InputStager.PROMPT_FILE.equals(input)) {
        throw InvalidInputException.forField(
            "items[" + i + "]",
            "its file is named " + InputStager.PROMPT_FILE + "; it would hide the prompt");
      }
    }
    Batch batch =
        new Batch(
            id,
            caller.tenantId(),
            caller.keyId(),
            checked.name(),
            JobSpecJson.write(template),
            items.size(),
            Math.min(orDefault(checked.parallelism(), DEFAULT_PARALLELISM), items.size()),
            orDefault(checked.checkpointEvery(), DEFAULT_CHECKPOINT_EVERY),
            orDefault(checked.maxFailedItems(), 0),
            retries,
            Instant.now());
    List<BatchItem> rows = new ArrayList<>();
    try {
      long uploaded = 0; // the request's limit holds for all its files together
      for (int i = 0; i < items.size(); i++) {
        String input = uploads.isEmpty() ? null : uploads.get(i).name();
        if (input != null) {
          uploaded +=
              files.saveInput(
                  id, i, input, uploads.get(i).content(), stager.maxUploadBytes() - uploaded);
        }
        rows.add(new BatchItem(id, i, ItemOverridesJson.write(items.get(i)), input));
      }
      store.insert(batch, rows);
    } catch (RuntimeException e) {
      files.deleteAll(id);
      throw e;
    }
    long execution;
    try {
      execution = operator().start(JOB_XML, parameters(batch, template));
    } catch (RuntimeException e) {
      store.delete(id); // nothing of a batch that never started is kept
      files.deleteAll(id);
      throw e;
    }
    store.executionStarted(id, execution, node.name());
    return view(id);
  }

  @Transactional(dontRollbackOn = DomainException.class)
  public BatchView view(String id) {
    return view(visible(id));
  }

  private BatchView view(Batch batch) {
    List<BatchView.Execution> executions = executions(batch);
    String state =
        executions.isEmpty() ? "STARTING" : executions.get(executions.size() - 1).state();
    BatchView.Progress progress = BatchView.Progress.of(store.counts(batch.id()), null);
    Long secondsLeft = secondsLeft(batch, executions, progress.left() + progress.running());
    return new BatchView(
        batch.id(),
        batch.name(),
        batch.tenantId(),
        state,
        batch.createdAt(),
        batch.parallelism(),
        batch.checkpointEvery(),
        batch.maxFailedItems(),
        batch.itemRetries(),
        JobSpecJson.read(batch.templateJson()).withSecretsMasked(),
        progress.withSecondsLeft(secondsLeft),
        executions);
  }

  @Transactional(dontRollbackOn = DomainException.class)
  public List<BatchView> list(int limit) {
    return store.list(caller.tenantScope(), limit).stream().map(this::view).toList();
  }

  @Transactional(dontRollbackOn = DomainException.class)
  public List<BatchItem> items(String id, Optional<BatchItemState> state) {
    visible(id);
    return state.isPresent() ? store.items(id, List.of(state.get())) : store.items(id);
  }

  /** Stops the running execution and cancels the item jobs in flight; they run again on restart. */
  public BatchView stop(String id) {
    Batch batch = operable(id);
    BatchTransitions.check(id, status(batch), BatchTransitions.Operation.STOP);
    store.stopRequested(id, true);
    operator().stop(batch.executionId());
    for (BatchItem item : store.items(id, List.of(BatchItemState.RUNNING))) {
      cancelQuietly(item.jobId(), "batch " + id + " stopped by key " + caller.keyName());
    }
    return view(id);
  }

  /**
   * Starts a new execution that resumes from every partition's checkpoint: finished items are not
   * run again; items a stop interrupted and items that failed the batch are.
   */
  public BatchView restart(String id) {
    Batch batch = operable(id);
    BatchTransitions.check(id, status(batch), BatchTransitions.Operation.RESTART);
    Set<String> cancelled = new HashSet<>();
    for (BatchItem item : store.items(id, List.of(BatchItemState.RUNNING))) {
      jobRepository
          .find(new JobId(item.jobId()))
          .filter(job -> job.state() == JobState.CANCELLED)
          .map(Job::id)
          .ifPresent(job -> cancelled.add(job.value()));
    }
    store.resetForRestart(id, cancelled);
    store.stopRequested(id, false);
    JobSpec template = JobSpecJson.read(batch.templateJson());
    long execution = operator().restart(batch.executionId(), parameters(batch, template));
    store.executionStarted(id, execution, node.name());
    return view(id);
  }

  /** Marks a stopped or failed batch as never to run again. */
  public BatchView abandon(String id) {
    Batch batch = operable(id);
    BatchTransitions.check(id, status(batch), BatchTransitions.Operation.ABANDON);
    operator().abandon(batch.executionId());
    return view(id);
  }

  void writeOutput(List<BatchItem> items, java.io.OutputStream out) throws java.io.IOException {
    files.writeOutput(items, out);
  }

  Batch visible(String id) {
    return store.find(id, caller.tenantScope()).orElseThrow(() -> BatchExceptions.notFound(id));
  }

  private Batch operable(String id) {
    Batch batch = visible(id);
    if (!caller.role().includes(Role.OPERATOR) && !caller.keyId().equals(batch.submittedBy())) {
      throw new AccessDeniedException("A submitter key may operate only the batches it submitted");
    }
    if (batch.executionId() == null) {
      throw BatchExceptions.wrongState(id, "STARTING", "try again in a moment");
    }
    return batch;
  }

  private BatchStatus status(Batch batch) {
    return operator().getJobExecution(batch.executionId()).getBatchStatus();
  }

  private List<BatchView.Execution> executions(Batch batch) {
    if (batch.executionId() == null) {
      return List.of();
    }
    JobOperator operator = operator();
    return operator.getJobExecutions(operator.getJobInstance(batch.executionId())).stream()
        .sorted(Comparator.comparingLong(JobExecution::getExecutionId))
        .map(
            e ->
                new BatchView.Execution(
                    e.getExecutionId(),
                    e.getBatchStatus().name(),
                    e.getExitStatus(),
                    e.getStartTime() == null ? null : e.getStartTime().toInstant(),
                    e.getEndTime() == null ? null : e.getEndTime().toInstant()))
        .toList();
  }

  /** From the current execution's pace: items ended since it started, over the time it took. */
  private Long secondsLeft(Batch batch, List<BatchView.Execution> executions, long toGo) {
    if (executions.isEmpty() || toGo == 0) {
      return toGo == 0 ? 0L : null;
    }
    BatchView.Execution current = executions.get(executions.size() - 1);
    if (current.endedAt() != null || current.startedAt() == null) {
      return null;
    }
    long ended = store.countEndedSince(batch.id(), current.startedAt());
    if (ended == 0) {
      return null;
    }
    Duration elapsed = Duration.between(current.startedAt(), Instant.now());
    return elapsed.toSeconds() * toGo / ended;
  }

  private void cancelQuietly(String jobId, String reason) {
    JobId id = new JobId(jobId);
    if (jobRepository.find(id).map(job -> job.state().isFinished()).orElse(true)) {
      return; // ended already: the processor records how
    }
    try {
      lifecycle.transition(id, JobState.CANCELLED, reason);
    } catch (IllegalTransitionException | JobNotFoundException e) {
      // it ended meanwhile: the processor records how
    }
  }

  /**
   * The execution's parameters. A chunk waits for its items' jobs inside its transaction, so the
   * transaction may last as long as {@code checkpointEvery} items, every attempt at its deadline.
   */
  private static Properties parameters(Batch batch, JobSpec template) {
    long perItem = (long) template.timeoutSeconds() * (batch.itemRetries() + 1) + 600;
    long chunk = Math.min(LONGEST_CHUNK.toSeconds(), perItem * batch.checkpointEvery());
    Properties parameters = new Properties();
    parameters.setProperty("batchId", batch.id());
    parameters.setProperty("checkpointEvery", Integer.toString(batch.checkpointEvery()));
    parameters.setProperty("chunkTimeoutSeconds", Long.toString(chunk));
    return parameters;
  }

  private static List<BatchRequest.ItemOverrides> items(
      BatchRequest request, List<InputStager.Upload> uploads) {
    List<BatchRequest.ItemOverrides> given = request.items() == null ? List.of() : request.items();
    if (uploads.isEmpty()) {
      if (given.isEmpty()) {
        throw InvalidInputException.forField("items", "must hold at least one item");
      }
      return given;
    }
    if (uploads.size() > BatchRequest.MAX_ITEMS) {
      throw InvalidInputException.forField(
          "item", "at most " + BatchRequest.MAX_ITEMS + " files, one per item");
    }
    if (!given.isEmpty() && given.size() != uploads.size()) {
      throw InvalidInputException.forField(
          "items",
          "with files, give no items or one per file ("
              + uploads.size()
              + " files, "
              + given.size()
              + " items)");
    }
    List<BatchRequest.ItemOverrides> items = new ArrayList<>();
    for (int i = 0; i < uploads.size(); i++) {
      items.add(given.isEmpty() ? BatchRequest.ItemOverrides.NONE : given.get(i));
    }
    return items;
  }

  private static int orDefault(Integer value, int fallback) {
    return value == null ? fallback : value;
  }

  private static JobOperator operator() {
    return BatchRuntime.getJobOperator();
  }
}
