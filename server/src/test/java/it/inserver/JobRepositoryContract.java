package it.inserver;

import static dev.stevedore.job.JobFixtures.job;
import static dev.stevedore.job.JobFixtures.spec;
import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.stevedore.core.JobId;
import dev.stevedore.job.IllegalTransitionException;
import dev.stevedore.job.Job;
import dev.stevedore.job.JobFixtures;
import dev.stevedore.job.JobHistoryEntry;
import dev.stevedore.job.JobQuery;
import dev.stevedore.job.JobRepository;
import dev.stevedore.job.JobRepository.Candidate;
import dev.stevedore.job.JobRepository.Outcome;
import dev.stevedore.job.JobState;
import dev.stevedore.job.JobTransitions;
import dev.stevedore.security.TenantService;
import jakarta.inject.Inject;
import jakarta.persistence.OptimisticLockException;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/**
 * What the job store must do, whatever database holds it: in the manner of a storage provider
 * contract, these tests are written once against {@link JobRepository} and run inside the server on
 * each database the product supports (the failsafe executions run the subclass against PostgreSQL
 * and against H2), one of them taking the stored job through every pair of states against {@link
 * JobTransitions}. Each test works in tenants of its own; their running quota of 0 keeps the
 * application's dispatcher, which shares the database, away from their jobs.
 */
abstract class JobRepositoryContract {

  /** Higher than any other test's jobs: these come first in the dispatch order. */
  private static final int TOP = 1_000_000;

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

  @Inject JobRepository repository;
  @Inject Transactions tx;
  @Inject TestTenants testTenants;
  @Inject TenantService tenantQuotas;

  private final List<String> tenants = new ArrayList<>();
  private String tenant;
  private String otherTenant;

  @BeforeEach
  void tenants() {
    tenant = tenant(0, null);
    otherTenant = tenant(0, null);
  }

  @AfterEach
  void removeTenants() {
    tenants.forEach(testTenants::remove);
  }

  private String tenant(Integer maxRunning, Integer maxQueued) {
    String id = testTenants.create(maxRunning, maxQueued);
    tenants.add(id);
    return id;
  }

  private Job insert(String tenant, String name, int priority, Map<String, String> labels) {
    Job job = job(tenant, spec(name, priority, labels), null);
    return tx.inOne(() -> repository.insert(job, job.spec()));
  }

  private Job insert(String tenant, String name) {
    return insert(tenant, name, 0, Map.of());
  }

  private Job stored(JobId id) {
    return tx.inOne(() -> repository.find(id).orElseThrow());
  }

  private List<JobHistoryEntry> history(JobId id) {
    return tx.inOne(() -> List.copyOf(repository.find(id).orElseThrow().history()));
  }

  private Outcome transition(JobId id, JobState to, String reason) {
    return tx.inOne(() -> repository.transition(id, to, reason, job -> {}));
  }

  @Test
  void aJobIsStoredAsSubmittedWithItsFirstHistoryEntry() {
    String key = "arq-" + UUID.randomUUID();
    Job job = job(tenant, spec("report", 3, Map.of("team", "data", "env", "prod")), key);
    tx.inOne(() -> repository.insert(job, job.spec()));

    Job stored = stored(job.id());
    assertEquals(tenant, stored.tenantId());
    assertEquals("report", stored.name());
    assertEquals(JobFixtures.IMAGE, stored.image());
    assertEquals(JobState.QUEUED, stored.state());
    assertEquals(3, stored.priority());
    assertEquals(1, stored.attempt());
    assertEquals(key, stored.idempotencyKey());
    assertEquals(Map.of("team", "data", "env", "prod"), stored.labels());
    assertEquals(job.spec(), stored.spec());
    assertEquals(
        job.createdAt().truncatedTo(ChronoUnit.MILLIS),
        stored.createdAt().truncatedTo(ChronoUnit.MILLIS));
    assertNull(stored.startedAt());
    assertNull(stored.finishedAt());

    List<JobHistoryEntry> history = history(job.id());
    assertEquals(1, history.size());
    assertNull(history.get(0).from());
    assertEquals(JobState.QUEUED, history.get(0).to());
    assertEquals("submitted", history.get(0).reason());
  }

  @Test
  void aJobIsFoundOnlyInItsTenantsScope() {
    String key = "arq-" + UUID.randomUUID();
    Job job = job(tenant, spec("scoped", 0, Map.of()), key);
    tx.inOne(() -> repository.insert(job, job.spec()));

    assertTrue(tx.inOne(() -> repository.find(job.id(), Optional.of(tenant))).isPresent());
    assertTrue(tx.inOne(() -> repository.find(job.id(), Optional.empty())).isPresent());
    assertFalse(tx.inOne(() -> repository.find(job.id(), Optional.of(otherTenant))).isPresent());
    assertFalse(tx.inOne(() -> repository.find(JobId.next(), Optional.of(tenant))).isPresent());

    assertEquals(
        job.id(), tx.inOne(() -> repository.findByIdempotencyKey(tenant, key)).orElseThrow().id());
    assertFalse(tx.inOne(() -> repository.findByIdempotencyKey(otherTenant, key)).isPresent());
  }

  @Test
  void aTenantsQueueQuotaIsKeptAtInsert() {
    String small = tenant(0, 2);
    List<Boolean> accepted = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      Job job = job(small, spec("quota-" + i, 0, Map.of()), null);
      // As a submission does, in one transaction: the tenant's lock, the count, the insert.
      accepted.add(
          tx.inOne(
              () -> {
                int quota = tenantQuotas.lockQuotas(small).maxQueued();
                if (repository.countQueued(small, quota) >= quota) {
                  return false;
                }
                repository.insert(job, job.spec());
                return true;
              }));
    }

    assertEquals(List.of(true, true, false), accepted);
    assertEquals(2, tx.inOne(() -> repository.countQueued(small, 100)));
    assertEquals(
        2,
        list(new JobQuery(Optional.of(small), List.of(), null, null, Map.of(), null, 10)).size());
  }

  private List<JobId> list(JobQuery query) {
    return tx.inOne(() -> repository.list(query)).stream().map(Job::id).toList();
  }

  private static JobQuery query(String tenant, int limit) {
    return new JobQuery(Optional.of(tenant), List.of(), null, null, Map.of(), null, limit);
  }

  @Test
  void listsAreNewestFirstFilteredAndPaged() {
    Job percent = insert(tenant, "build%1", 0, Map.of("team", "data", "env", "prod"));
    Job underscore = insert(tenant, "build_2", 0, Map.of("team", "data"));
    Job plain = insert(tenant, "buildx3", 0, Map.of("team", "web", "env", "prod"));
    Job other = insert(tenant, "other", 0, Map.of());
    Job elsewhere = insert(otherTenant, "build%1", 0, Map.of("team", "data", "env", "prod"));
    transition(other.id(), JobState.CANCELLED, "cancelled by the test");

    List<JobId> newestFirst =
        descending(List.of(percent.id(), underscore.id(), plain.id(), other.id()));
    assertEquals(newestFirst, list(query(tenant, 10)));
    assertEquals(List.of(elsewhere.id()), list(query(otherTenant, 10)));
    assertTrue(
        list(new JobQuery(Optional.empty(), List.of(), null, null, Map.of(), null, 10_000))
            .containsAll(List.of(percent.id(), elsewhere.id())));

    // One page more than asked tells that more exist; the cursor goes on after the last shown.
    List<JobId> first = list(query(tenant, 2));
    assertEquals(newestFirst.subList(0, 3), first);
    assertEquals(
        newestFirst.subList(2, 4),
        list(new JobQuery(Optional.of(tenant), List.of(), null, null, Map.of(), first.get(1), 2)));

    assertEquals(
        List.of(other.id()),
        list(
            new JobQuery(
                Optional.of(tenant), List.of(JobState.CANCELLED), null, null, Map.of(), null, 10)));
    assertEquals(
        List.of(underscore.id()),
        list(new JobQuery(Optional.of(tenant), List.of(), "build_2", null, Map.of(), null, 10)));
    // The wildcards of LIKE are taken literally in a prefix.
    assertEquals(
        List.of(percent.id()),
        list(new JobQuery(Optional.of(tenant), List.of(), null, "build%", Map.of(), null, 10)));
    assertEquals(
        List.of(underscore.id()),
        list(new JobQuery(Optional.of(tenant), List.of(), null, "build_", Map.of(), null, 10)));
    assertEquals(
        descending(List.of(percent.id(), underscore.id(), plain.id())),
        list(new JobQuery(Optional.of(tenant), List.of(), null, "build", Map.of(), null, 10)));
    // Every label asked for must match.
    assertEquals(
        List.of(percent.id()),
        list(
            new JobQuery(
                Optional.of(tenant),
                List.of(),
                null,
                null,
                Map.of("team", "data", "env", "prod"),
                null,
                10)));
    assertEquals(
        descending(List.of(percent.id(), underscore.id())),
        list(
            new JobQuery(
                Optional.of(tenant), List.of(), null, null, Map.of("team", "data"), null, 10)));
  }

  private static List<JobId> descending(List<JobId> ids) {
    return ids.stream().sorted(Comparator.reverseOrder()).toList();
  }

  @Test
  void aTransitionIsStoredWithItsHistoryAndARefusedOneChangesNothing() {
    Job job = insert(tenant, "moving");
    long version = stored(job.id()).version();

    Outcome moved = transition(job.id(), JobState.CANCELLED, "cancelled by the test");

    assertNull(moved.refusal());
    Job cancelled = stored(job.id());
    assertEquals(JobState.CANCELLED, cancelled.state());
    assertEquals("cancelled by the test", cancelled.reason());
    assertNotNull(cancelled.finishedAt());
    assertTrue(cancelled.version() > version);
    List<JobHistoryEntry> history = history(job.id());
    assertEquals(List.of(JobState.QUEUED, JobState.CANCELLED), states(history));
    assertEquals(JobState.QUEUED, history.get(1).from());

    Outcome refused = transition(job.id(), JobState.RUNNING, "too late");

    IllegalTransitionException refusal =
        assertInstanceOf(IllegalTransitionException.class, refused.refusal());
    assertEquals(JobState.CANCELLED, refusal.from());
    assertEquals(JobState.RUNNING, refusal.to());
    assertEquals(cancelled.version(), stored(job.id()).version());
    assertEquals(JobState.CANCELLED, stored(job.id()).state());
    assertEquals(2, history(job.id()).size());

    assertNotNull(transition(JobId.next(), JobState.CANCELLED, "no such job").refusal());
  }

  private static List<JobState> states(List<JobHistoryEntry> history) {
    return history.stream().map(JobHistoryEntry::to).toList();
  }

  @Test
  void aChangeMadeMeanwhileWinsOverTheOneThatReadTheJobBefore() {
    Job job = insert(tenant, "raced");

    RuntimeException lost =
        assertThrows(
            RuntimeException.class,
            () ->
                tx.inOne(
                    () ->
                        repository.transition(
                            job.id(),
                            JobState.STARTING,
                            "the loser",
                            read ->
                                tx.inNew(
                                    () ->
                                        repository
                                            .transition(
                                                job.id(),
                                                JobState.CANCELLED,
                                                "the winner",
                                                winner -> {})
                                            .orThrow()))));

    assertTrue(causedBy(lost, OptimisticLockException.class), lost.toString());
    Job stored = stored(job.id());
    assertEquals(JobState.CANCELLED, stored.state());
    assertEquals("the winner", stored.reason());
    assertEquals(List.of(JobState.QUEUED, JobState.CANCELLED), states(history(job.id())));
  }

  private static boolean causedBy(Throwable failure, Class<? extends Throwable> type) {
    for (Throwable t = failure; t != null; t = t.getCause()) {
      if (type.isInstance(t)) {
        return true;
      }
    }
    return false;
  }

  @Test
  void queuedJobsAreOfferedByPriorityThenAgeAndAWaitingRetryIsNot() {
    Job low1 = insert(tenant, "low-1", TOP, Map.of());
    Job high1 = insert(tenant, "high-1", TOP + 1, Map.of());
    Job low2 = insert(tenant, "low-2", TOP, Map.of());
    Job high2 = insert(tenant, "high-2", TOP + 1, Map.of());
    Job later = job(tenant, spec("backing-off", TOP + 2, Map.of()), null);
    JobFixtures.notBefore(later, Instant.now().plus(1, ChronoUnit.HOURS));
    tx.inOne(() -> repository.insert(later, later.spec()));

    List<JobId> expected =
        List.of(high1, high2, low1, low2).stream()
            .sorted(
                Comparator.comparing(Job::priority, Comparator.reverseOrder())
                    .thenComparing(Job::id))
            .map(Job::id)
            .toList();
    List<JobId> offered =
        tx.inOne(() -> repository.nextQueued(Set.of(), 10_000)).stream()
            .filter(c -> c.tenant().equals(tenant))
            .map(Candidate::id)
            .toList();
    assertEquals(expected, offered);
    for (int i = 0; i < expected.size(); i++) {
      Job job = stored(expected.get(i));
      assertEquals(i, tx.inOne(() -> repository.countAhead(job, Set.of())), "ahead of " + i);
    }

    // The tenants left out (those at their running quota) hide none of another tenant's jobs.
    assertTrue(
        tx.inOne(() -> repository.nextQueued(Set.of(tenant), 10_000)).stream()
            .noneMatch(c -> c.tenant().equals(tenant)));
    assertEquals(5, tx.inOne(() -> repository.countQueued(tenant, 100)));
    assertEquals(3, tx.inOne(() -> repository.countQueued(tenant, 3)), "counted up to the cap");
  }

  @Test
  void oneStatementClaimsSkipHeldJobsAndKeepQuotasAcrossNodes() throws Exception {
    javax.sql.DataSource database = javax.naming.InitialContext.doLookup("jdbc/stevedore");
    try (java.sql.Connection connection = database.getConnection()) {
      // The one-statement claim is PostgreSQL's; on H2 (one node) claims are the optimistic ones
      // of the test below. (Not an assumption: the in-server runner reports an aborted test as an
      // error.)
      if (!connection.getMetaData().getDatabaseProductName().contains("PostgreSQL")) {
        return;
      }
    }
    String two = tenant(2, null);
    String five = tenant(5, null);
    List<Job> jobs = new ArrayList<>();
    for (String owner : List.of(two, two, two, five, five)) {
      Job job = job(owner, spec("claim-" + jobs.size(), TOP, Map.of()), null);
      // Kept from the application's dispatcher, which reads only jobs that are due.
      JobFixtures.notBefore(job, Instant.now().plus(1, ChronoUnit.HOURS));
      tx.inOne(() -> repository.insert(job, job.spec()));
      jobs.add(job);
    }
    List<Candidate> candidates =
        jobs.stream().map(j -> new Candidate(j.id(), j.tenantId(), null)).toList();
    Instant lease = Instant.now().plusSeconds(30).truncatedTo(ChronoUnit.MILLIS);

    // Another transaction holds the first of the second tenant's jobs (a cancel under way, say):
    // the claim skips it rather than wait, and takes the rest its quotas allow.
    List<Job> byX;
    try (java.sql.Connection holder = database.getConnection()) {
      holder.setAutoCommit(false);
      try (java.sql.PreparedStatement lock =
          holder.prepareStatement("SELECT id FROM job WHERE id = ? FOR UPDATE")) {
        lock.setString(1, jobs.get(3).id().value());
        lock.executeQuery().close();
      }
      byX = repository.claimAll(candidates, "node-x", lease, "dispatched to node node-x");
      holder.rollback();
    }
    assertEquals(
        List.of(jobs.get(0).id(), jobs.get(1).id(), jobs.get(4).id()),
        byX.stream().map(Job::id).toList());

    // Another node: the first tenant is at its quota across nodes; the job held before is free.
    List<Job> byY = repository.claimAll(candidates, "node-y", lease, "dispatched to node node-y");
    assertEquals(List.of(jobs.get(3).id()), byY.stream().map(Job::id).toList());

    Job claimed = stored(jobs.get(0).id());
    assertEquals(JobState.STARTING, claimed.state());
    assertEquals("node-x", claimed.node());
    assertEquals(lease, claimed.leaseUntil().truncatedTo(ChronoUnit.MILLIS));
    assertEquals(List.of(JobState.QUEUED, JobState.STARTING), states(history(jobs.get(0).id())));
    assertEquals("node-y", stored(jobs.get(3).id()).node());
    assertEquals(JobState.QUEUED, stored(jobs.get(2).id()).state());
  }

  @Test
  void aClaimTakesAQueuedJobUnlessItsTenantIsAtItsRunningQuota() {
    String one = tenant(1, null);
    // Jobs that wait for their backoff are never offered to the application's dispatcher.
    Job first = job(one, spec("first", 0, Map.of()), null);
    Job second = job(one, spec("second", 0, Map.of()), null);
    Job blocked = job(tenant, spec("blocked", 0, Map.of()), null);
    for (Job job : List.of(first, second, blocked)) {
      JobFixtures.notBefore(job, Instant.now().plus(1, ChronoUnit.HOURS));
      tx.inOne(() -> repository.insert(job, job.spec()));
    }
    String node = "arq-node-" + UUID.randomUUID();

    Optional<Job> claimed =
        tx.inOne(() -> repository.claim(first.id(), node, Instant.now(), "claimed"));

    assertTrue(claimed.isPresent());
    assertEquals(JobState.STARTING, stored(first.id()).state());
    assertEquals(node, stored(first.id()).node());
    assertEquals(
        List.of(first.id()),
        tx.inOne(() -> repository.activeOn(node)).stream().map(Job::id).toList());
    assertEquals(1, tx.inOne(() -> repository.countActive(one)));
    assertEquals(1L, tx.inOne(() -> repository.activeByTenant()).get(one));
    assertTrue(
        tx.inOne(
                () ->
                    JobRepository.atQuota(
                        repository.activeByTenant(),
                        tenantQuotas.maxRunningByTenant(),
                        tenantQuotas.defaultMaxRunning()))
            .containsAll(Set.of(one, tenant)));

    assertFalse(
        tx.inOne(() -> repository.claim(second.id(), node, Instant.now(), "claimed")).isPresent());
    assertEquals(JobState.QUEUED, stored(second.id()).state());
    assertFalse(
        tx.inOne(() -> repository.claim(blocked.id(), node, Instant.now(), "claimed")).isPresent());
    assertFalse(
        tx.inOne(() -> repository.claim(JobId.next(), node, Instant.now(), "claimed")).isPresent());
  }

  @Test
  void endedJobsWithFilesAreFoundUntilTheirFilesAreGoneAndADeletedJobIsGone() {
    Job job = insert(tenant, "ended");
    transition(job.id(), JobState.CANCELLED, "cancelled by the test");
    Instant later = Instant.now().plus(1, ChronoUnit.MINUTES);

    assertTrue(
        tx.inOne(() -> repository.finishedWithFilesBefore(later, 10_000)).contains(job.id()));
    tx.run(() -> repository.markFilesRemoved(job.id(), Instant.now()));
    assertNotNull(stored(job.id()).filesRemovedAt());
    assertFalse(
        tx.inOne(() -> repository.finishedWithFilesBefore(later, 10_000)).contains(job.id()));

    tx.run(() -> repository.delete(job.id()));
    assertFalse(tx.inOne(() -> repository.find(job.id())).isPresent());
  }

  // The transition table as the stored job keeps it: for every pair of states, a job brought to
  // the first (by allowed moves) and asked for the second moves there, with its history and times,
  // when the table allows it, and is refused with nothing changed when it does not.

  @Test
  void everyStoredStateFollowsTheTransitionTable() {
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
