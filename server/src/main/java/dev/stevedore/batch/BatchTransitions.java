package dev.stevedore.batch;

import static dev.stevedore.batch.BatchItemState.FAILED;
import static dev.stevedore.batch.BatchItemState.PENDING;
import static dev.stevedore.batch.BatchItemState.RUNNING;
import static dev.stevedore.batch.BatchItemState.SKIPPED;
import static dev.stevedore.batch.BatchItemState.SUCCEEDED;

import dev.stevedore.core.ConflictException;
import jakarta.batch.runtime.BatchStatus;
import java.util.Collections;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The one table of a batch's states and the moves allowed between them, as {@link
 * dev.stevedore.job.JobTransitions} is for jobs. It has two parts:
 *
 * <ul>
 *   <li>the moves an operator may make on a batch ({@link Operation}: stop, restart, abandon), by
 *       the state of its latest execution, which Jakarta Batch keeps ({@link BatchStatus}); the
 *       runtime's own moves (STARTED, COMPLETED, FAILED …) are its business;
 *   <li>the moves of an item ({@link BatchItemState}), which the batch's own code makes.
 * </ul>
 *
 * A move the table does not list is refused: an operator's with 409, an item's as a fault of the
 * code.
 */
public final class BatchTransitions {

  /** What an operator can do to a batch, and the state its latest execution moves to. */
  public enum Operation {
    /** The execution is asked to stop; its item jobs in flight are cancelled. */
    STOP(BatchStatus.STOPPING, "stopped"),
    /** A new execution of the same instance resumes from the checkpoints. */
    RESTART(BatchStatus.STARTING, "restarted"),
    /** The batch never runs again. */
    ABANDON(BatchStatus.ABANDONED, "abandoned");

    private final BatchStatus to;
    private final String done;

    Operation(BatchStatus to, String done) {
      this.to = to;
      this.done = done;
    }

    /** The state the latest execution moves to. */
    public BatchStatus to() {
      return to;
    }
  }

  private static final Map<BatchStatus, Set<BatchStatus>> BATCH = new EnumMap<>(BatchStatus.class);
  private static final Map<BatchItemState, Set<BatchItemState>> ITEM =
      new EnumMap<>(BatchItemState.class);

  static {
    // An operator stops a batch that runs; the execution ends STOPPED once its chunks have.
    allow(BATCH, BatchStatus.STARTING, BatchStatus.STOPPING);
    allow(BATCH, BatchStatus.STARTED, BatchStatus.STOPPING);
    allow(BATCH, BatchStatus.STOPPING);
    // A stopped or failed batch is restarted (a new execution) or abandoned.
    allow(BATCH, BatchStatus.STOPPED, BatchStatus.STARTING, BatchStatus.ABANDONED);
    allow(BATCH, BatchStatus.FAILED, BatchStatus.STARTING, BatchStatus.ABANDONED);
    allow(BATCH, BatchStatus.COMPLETED);
    allow(BATCH, BatchStatus.ABANDONED);

    // PENDING -> RUNNING: its job is submitted. PENDING -> PENDING: a stop came first.
    // PENDING -> FAILED or SKIPPED: its job's submission was refused.
    allow(ITEM, PENDING, RUNNING, PENDING, FAILED, SKIPPED);
    // RUNNING -> RUNNING: a new job, its last one (of a stopped or died execution) having failed.
    // RUNNING -> PENDING: a stop cancelled its job; it runs again on restart.
    allow(ITEM, RUNNING, SUCCEEDED, FAILED, SKIPPED, PENDING, RUNNING);
    allow(ITEM, SUCCEEDED);
    // FAILED -> PENDING: it failed the batch, and a restart runs it again.
    allow(ITEM, FAILED, PENDING);
    // Passed over within the batch's failure limit: a restart leaves it.
    allow(ITEM, SKIPPED);
  }

  private BatchTransitions() {}

  @SafeVarargs
  private static <S extends Enum<S>> void allow(Map<S, Set<S>> table, S from, S... to) {
    Set<S> targets = EnumSet.noneOf(from.getDeclaringClass());
    for (S target : to) {
      targets.add(target);
    }
    table.put(from, Collections.unmodifiableSet(targets));
  }

  /** Whether an operator may move a batch whose latest execution is {@code from} to {@code to}. */
  public static boolean isAllowed(BatchStatus from, BatchStatus to) {
    return BATCH.get(from).contains(to);
  }

  public static Set<BatchStatus> allowedFrom(BatchStatus from) {
    return BATCH.get(from);
  }

  /** The states of the latest execution from which the operation is allowed. */
  public static Set<BatchStatus> allowedFor(Operation operation) {
    Set<BatchStatus> from = EnumSet.noneOf(BatchStatus.class);
    BATCH.forEach(
        (state, targets) -> {
          if (targets.contains(operation.to())) {
            from.add(state);
          }
        });
    return Collections.unmodifiableSet(from);
  }

  /** Throws a {@link ConflictException} unless the table allows the operation from {@code from}. */
  public static void check(String batchId, BatchStatus from, Operation operation) {
    if (!isAllowed(from, operation.to())) {
      throw BatchExceptions.wrongState(
          batchId,
          from.name(),
          "only a "
              + allowedFor(operation).stream()
                  .map(BatchStatus::name)
                  .collect(Collectors.joining(" or "))
              + " batch can be "
              + operation.done);
    }
  }

  public static boolean isAllowed(BatchItemState from, BatchItemState to) {
    return ITEM.get(from).contains(to);
  }

  public static Set<BatchItemState> allowedFrom(BatchItemState from) {
    return ITEM.get(from);
  }

  /** Throws {@link IllegalStateException} unless the table allows the item's move. */
  static void check(String itemId, BatchItemState from, BatchItemState to) {
    if (!isAllowed(from, to)) {
      throw new IllegalStateException(
          "Batch item " + itemId + " cannot go from " + from + " to " + to);
    }
  }
}
