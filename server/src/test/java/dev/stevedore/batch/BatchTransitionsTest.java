package dev.stevedore.batch;

import static dev.stevedore.batch.BatchItemState.FAILED;
import static dev.stevedore.batch.BatchItemState.PENDING;
import static dev.stevedore.batch.BatchItemState.RUNNING;
import static dev.stevedore.batch.BatchItemState.SKIPPED;
import static dev.stevedore.batch.BatchItemState.SUCCEEDED;
import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.stevedore.batch.BatchTransitions.Operation;
import dev.stevedore.core.ConflictException;
import jakarta.batch.runtime.BatchStatus;
import java.time.Instant;
import java.util.EnumSet;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class BatchTransitionsTest {

  /** From which states of the latest execution an operator may do what, written out apart. */
  private static final Map<Operation, Set<BatchStatus>> OPERATIONS =
      Map.of(
          Operation.STOP, EnumSet.of(BatchStatus.STARTING, BatchStatus.STARTED),
          Operation.RESTART, EnumSet.of(BatchStatus.STOPPED, BatchStatus.FAILED),
          Operation.ABANDON, EnumSet.of(BatchStatus.STOPPED, BatchStatus.FAILED));

  /** An item's life, written out apart from the table under test. */
  private static final Map<BatchItemState, Set<BatchItemState>> ITEMS =
      Map.of(
          PENDING, EnumSet.of(RUNNING, PENDING, FAILED, SKIPPED),
          RUNNING, EnumSet.of(SUCCEEDED, FAILED, SKIPPED, PENDING, RUNNING),
          SUCCEEDED, EnumSet.noneOf(BatchItemState.class),
          FAILED, EnumSet.of(PENDING),
          SKIPPED, EnumSet.noneOf(BatchItemState.class));

  @ParameterizedTest
  @EnumSource(BatchStatus.class)
  void everyOperationIsAllowedExactlyFromItsStates(BatchStatus from) {
    for (Operation operation : Operation.values()) {
      boolean expected = OPERATIONS.get(operation).contains(from);
      assertEquals(
          expected, BatchTransitions.isAllowed(from, operation.to()), operation + " from " + from);
      if (expected) {
        assertDoesNotThrow(() -> BatchTransitions.check("b1", from, operation));
      } else {
        ConflictException refused =
            assertThrows(
                ConflictException.class, () -> BatchTransitions.check("b1", from, operation));
        assertEquals("batch-state", refused.reason());
        assertTrue(refused.getMessage().contains("Batch b1 is " + from.name()));
      }
    }
  }

  @Test
  void aRefusalSaysFromWhichStatesTheOperationIsAllowed() {
    ConflictException refused =
        assertThrows(
            ConflictException.class,
            () -> BatchTransitions.check("b1", BatchStatus.COMPLETED, Operation.RESTART));
    assertEquals(
        "Batch b1 is COMPLETED; only a STOPPED or FAILED batch can be restarted",
        refused.getMessage());
    assertEquals(OPERATIONS.get(Operation.STOP), BatchTransitions.allowedFor(Operation.STOP));
  }

  @Test
  void operatorsMoveNothingThatHasEndedForGoodOrIsStopping() {
    assertTrue(BatchTransitions.allowedFrom(BatchStatus.COMPLETED).isEmpty());
    assertTrue(BatchTransitions.allowedFrom(BatchStatus.ABANDONED).isEmpty());
    assertTrue(BatchTransitions.allowedFrom(BatchStatus.STOPPING).isEmpty());
  }

  @ParameterizedTest
  @EnumSource(BatchItemState.class)
  void everyItemMoveIsAllowedExactlyAsItsLifeSays(BatchItemState from) {
    for (BatchItemState to : BatchItemState.values()) {
      boolean expected = ITEMS.get(from).contains(to);
      assertEquals(expected, BatchTransitions.isAllowed(from, to), from + " -> " + to);
      if (expected) {
        assertDoesNotThrow(() -> BatchTransitions.check("b1:0", from, to));
      } else {
        IllegalStateException refused =
            assertThrows(
                IllegalStateException.class, () -> BatchTransitions.check("b1:0", from, to));
        assertTrue(refused.getMessage().contains("b1:0"));
      }
    }
  }

  @Test
  void theItemEnforcesTheTable() {
    BatchItem item = new BatchItem("b1", 0, "{}", null);
    item.started("job-1");
    item.ended(SUCCEEDED, 0, "exited with code 0", Instant.now());
    assertEquals(SUCCEEDED, item.state());

    assertThrows(IllegalStateException.class, () -> item.started("job-2"), "never run twice");
    assertThrows(
        IllegalStateException.class, () -> item.ended(PENDING, null, "again", null), "nor reset");
    assertEquals(SUCCEEDED, item.state());
    assertEquals("job-1", item.jobId());
  }

  @Test
  void finishedItemsMoveOnlyWhenARestartRunsAFailedOneAgain() {
    for (BatchItemState state : BatchItemState.values()) {
      if (state.isFinished()) {
        assertEquals(
            state == FAILED ? Set.of(PENDING) : Set.of(),
            BatchTransitions.allowedFrom(state),
            state.name());
      }
    }
    assertFalse(BatchTransitions.isAllowed(SKIPPED, PENDING), "a restart leaves skipped items");
  }

  @Test
  void theTablesCannotBeChangedFromOutside() {
    assertThrows(
        UnsupportedOperationException.class,
        () -> BatchTransitions.allowedFrom(PENDING).add(SUCCEEDED));
    assertThrows(
        UnsupportedOperationException.class,
        () -> BatchTransitions.allowedFrom(BatchStatus.STOPPED).add(BatchStatus.COMPLETED));
    assertThrows(
        UnsupportedOperationException.class,
        () -> BatchTransitions.allowedFor(Operation.STOP).add(BatchStatus.COMPLETED));
  }
}
