package it.inserver;

import static dev.stevedore.job.JobFixtures.job;
import static dev.stevedore.job.JobFixtures.spec;
import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.stevedore.core.JobId;
import dev.stevedore.job.IllegalTransitionException;
import dev.stevedore.job.Job;
import dev.stevedore.job.JobFixtures;
import dev.stevedore.job.JobHistoryEntry;
import dev.stevedore.job.JobRepository;
import dev.stevedore.job.JobRepository.Outcome;
import dev.stevedore.job.JobState;
import dev.stevedore.job.JobTransitions;
import jakarta.inject.Inject;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.function.Executable;

/**
 * The transition table as the stored job keeps it: for every pair of states, a job brought to the
 * first (by allowed moves) and asked for the second moves there, with its history and times, when
 * {@link JobTransitions} allows it, and is refused with nothing changed when it does not.
 */
@ExtendWith(ArquillianExtension.class)
class JobTransitionsIT {

  /** How a new job reaches each state by allowed moves. */
  private static final Map<JobState, List<JobState>> PATHS = new EnumMap<>(JobState.class);

  static {
    PATHS.put(JobState.QUEUED, List.of());
    PATHS.put(JobState.STARTING, List.of(JobState.STARTING));
    PATHS.put(JobState.RUNNING, List.of(JobState.STARTING, JobState.RUNNING));
    PATHS.put(JobState.CANCELLED, List.of(JobState.CANCELLED));
    for (JobState end : List.of(JobState.SUCCEEDED, JobState.FAILED, JobState.TIMED_OUT)) {
      PATHS.put(end, List.of(JobState.STARTING, JobState.RUNNING, end));
    }
  }

  @Deployment
  static WebArchive deployment() {
    return InServerArchive.of(
        "job-transitions-it",
        JobRepository.class,
        JobFixtures.class,
        JobTransitionsIT.class,
        Transactions.class,
        TestTenants.class);
  }

  @Inject JobRepository repository;
  @Inject Transactions tx;
  @Inject TestTenants testTenants;

  private String tenant;

  @BeforeEach
  void tenant() {
    tenant = testTenants.create(0, null); // the dispatcher leaves its queued jobs alone
  }

  @AfterEach
  void removeTenant() {
    testTenants.remove(tenant);
  }

  @Test
  void everyStateFollowsTheTable() {
    assertEquals(JobState.values().length, PATHS.size(), "a path to every state");
    List<Executable> checks = new ArrayList<>();
    for (JobState from : JobState.values()) {
      Prepared refused = jobIn(from);
      for (JobState to : JobState.values()) {
        if (JobTransitions.isAllowed(from, to)) {
          Prepared job = jobIn(from);
          checks.add(() -> assertMoves(job, from, to));
        } else {
          checks.add(() -> assertRefused(refused, from, to));
        }
      }
    }
    assertAll(checks);
  }

  /** A stored job: its id, version and the length of its history. */
  private record Prepared(JobId id, long version, int historySize) {}

  /** A new job, brought to {@code state} by allowed moves. */
  private Prepared jobIn(JobState state) {
    Job job = job(tenant, spec("transitions", 0, Map.of()), null);
    tx.inOne(() -> repository.insert(job, job.spec()));
    for (JobState step : PATHS.get(state)) {
      tx.inOne(() -> repository.transition(job.id(), step, "on the way", j -> {})).orThrow();
    }
    Job stored = stored(job.id());
    assertEquals(state, stored.state());
    return new Prepared(job.id(), stored.version(), history(job.id()).size());
  }

  private Job stored(JobId id) {
    return tx.inOne(() -> repository.find(id).orElseThrow());
  }

  private List<JobHistoryEntry> history(JobId id) {
    return tx.inOne(() -> List.copyOf(repository.find(id).orElseThrow().history()));
  }

  private void assertMoves(Prepared job, JobState from, JobState to) {
    Outcome outcome =
        tx.inOne(() -> repository.transition(job.id(), to, from + " to " + to, j -> {}));

    assertNull(outcome.refusal(), from + " to " + to);
    Job moved = stored(job.id());
    assertEquals(to, moved.state(), from + " to " + to);
    assertEquals(from + " to " + to, moved.reason());
    List<JobHistoryEntry> history = history(job.id());
    assertEquals(job.historySize() + 1, history.size(), from + " to " + to);
    JobHistoryEntry last = history.get(history.size() - 1);
    assertEquals(from, last.from());
    assertEquals(to, last.to());
    if (to == JobState.RUNNING) {
      assertNotNull(moved.startedAt(), from + " to " + to);
    }
    if (to.isFinished()) {
      assertNotNull(moved.finishedAt(), from + " to " + to);
    } else {
      assertNull(moved.finishedAt(), from + " to " + to + ": a queued job has not ended");
    }
  }

  private void assertRefused(Prepared job, JobState from, JobState to) {
    Outcome outcome = tx.inOne(() -> repository.transition(job.id(), to, "refused", j -> {}));

    IllegalTransitionException refusal =
        assertInstanceOf(IllegalTransitionException.class, outcome.refusal(), from + " to " + to);
    assertEquals(from, refusal.from());
    assertEquals(to, refusal.to());
    Job unchanged = stored(job.id());
    assertEquals(from, unchanged.state(), from + " to " + to);
    assertEquals(job.version(), unchanged.version(), from + " to " + to);
    assertEquals(job.historySize(), history(job.id()).size(), from + " to " + to);
  }
}
