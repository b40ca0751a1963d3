package dev.stevedore.job;

import dev.stevedore.core.JobId;
import jakarta.persistence.CascadeType;
import jakarta.persistence.CollectionTable;
import jakarta.persistence.Column;
import jakarta.persistence.ElementCollection;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.FetchType;
import jakarta.persistence.Id;
import jakarta.persistence.JoinColumn;
import jakarta.persistence.MapKeyColumn;
import jakarta.persistence.OneToMany;
import jakarta.persistence.OrderBy;
import jakarta.persistence.Table;
import jakarta.persistence.Version;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A job as stored. The spec is kept whole as JSON; the columns beside it are what the server
 * queries and changes. State changes go through {@link JobLifecycle} only.
 */
@Entity
@Table(name = "job")
public class Job {

  @Id
  @Column(length = 36)
  private String id;

  @Version private long version;

  private String name;

  @Column(nullable = false)
  private String image;

  @Enumerated(EnumType.STRING)
  @Column(nullable = false)
  private JobState state;

  private int priority;

  private int attempt;

  /** Attempts an engine stop or restart ended: not counted against the retry policy. */
  @Column(name = "engine_interruptions")
  private int engineInterruptions;

  @Column(name = "exit_code")
  private Integer exitCode;

  private String reason;

  private String node;

  @Column(name = "tenant_id", nullable = false)
  private String tenantId;

  /** The id of the key that submitted the job. */
  @Column(name = "submitted_by")
  private String submittedBy;

  @Column(name = "idempotency_key")
  private String idempotencyKey;

  @Column(name = "spec_hash")
  private String specHash;

  @Column(name = "spec", nullable = false)
  private String specJson;

  @Column(name = "created_at", nullable = false)
  private Instant createdAt;

  @Column(name = "updated_at", nullable = false)
  private Instant updatedAt;

  @Column(name = "started_at")
  private Instant startedAt;

  @Column(name = "finished_at")
  private Instant finishedAt;

  /** A retried job does not start before this time (its backoff). */
  @Column(name = "not_before")
  private Instant notBefore;

  private String pool;

  private String container;

  private Boolean warm;

  @Column(name = "files_removed_at")
  private Instant filesRemovedAt;

  /** Until when the claim of the node that runs it holds; renewed with the node's heartbeat. */
  @Column(name = "lease_until")
  private Instant leaseUntil;

  @ElementCollection(fetch = FetchType.EAGER)
  @CollectionTable(name = "job_label", joinColumns = @JoinColumn(name = "job_id"))
  @MapKeyColumn(name = "label_key")
  @Column(name = "label_value")
  private Map<String, String> labels = new HashMap<>();

  @OneToMany(mappedBy = "job", cascade = CascadeType.ALL, orphanRemoval = true)
  @OrderBy("id")
  private List<JobHistoryEntry> history = new ArrayList<>();

  protected Job() {}

  Job(
      JobId id,
      String tenantId,
      String submittedBy,
      JobSpec spec,
      String specJson,
      String specHash,
      String idempotencyKey,
      Instant now) {
    this.id = id.value();
    this.tenantId = tenantId;
    this.submittedBy = submittedBy;
    this.name = spec.name();
    this.image = spec.image();
    this.priority = spec.priority();
    this.pool = spec.pool();
    this.labels.putAll(spec.labels());
    this.specJson = specJson;
    this.specHash = specHash;
    this.idempotencyKey = idempotencyKey;
    this.state = JobState.QUEUED;
    this.attempt = 1;
    this.createdAt = now;
    this.updatedAt = now;
    this.reason = "submitted";
    this.history.add(new JobHistoryEntry(this, null, JobState.QUEUED, now, reason));
  }

  /** Moves to {@code to} if the transition table allows it, and records it in the history. */
  JobHistoryEntry moveTo(JobState to, String why, Instant now) {
    JobTransitions.check(id(), state, to);
    JobHistoryEntry entry = new JobHistoryEntry(this, state, to, now, why);
    state = to;
    reason = why;
    updatedAt = now;
    if (to == JobState.RUNNING) {
      startedAt = now;
    } else if (to.isFinished()) {
      finishedAt = now;
    } else if (to == JobState.QUEUED) {
      finishedAt = null;
      container = null;
      warm = null;
    }
    history.add(entry);
    return entry;
  }

  /** The warm pool the job runs in, if it names one. */
  public String pool() {
    return pool;
  }

  /** The pool container the current attempt runs in; null for a job of its own container. */
  public String container() {
    return container;
  }

  /** Whether the pool container was warm when the attempt started; null outside a pool. */
  public Boolean warm() {
    return warm;
  }

  void runsIn(String container, Boolean warm) {
    this.container = container;
    this.warm = warm;
  }

  public JobId id() {
    return new JobId(id);
  }

  public String name() {
    return name;
  }

  public String image() {
    return image;
  }

  public JobState state() {
    return state;
  }

  public int priority() {
    return priority;
  }

  public int attempt() {
    return attempt;
  }

  void attempt(int attempt) {
    this.attempt = attempt;
  }

  public int engineInterruptions() {
    return engineInterruptions;
  }

  void engineInterruptions(int engineInterruptions) {
    this.engineInterruptions = engineInterruptions;
  }

  public Integer exitCode() {
    return exitCode;
  }

  void exitCode(Integer exitCode) {
    this.exitCode = exitCode;
    history.get(history.size() - 1).exitCode(exitCode);
  }

  public String reason() {
    return reason;
  }

  public String node() {
    return node;
  }

  void node(String node) {
    this.node = node;
  }

  /** Claimed by {@code node} until {@code leaseUntil}. */
  void claimedBy(String node, Instant leaseUntil) {
    this.node = node;
    this.leaseUntil = leaseUntil;
  }

  /** The current attempt goes on, followed by {@code node}: its former node was lost. */
  void adoptedBy(String node, Instant leaseUntil, String why, Instant now) {
    claimedBy(node, leaseUntil);
    reason = why;
    updatedAt = now;
  }

  public Instant leaseUntil() {
    return leaseUntil;
  }

  /**
   * Records a claim that a statement made in the database (QUEUED to STARTING, the node and its
   * lease set there): the history entry that goes with it.
   */
  JobHistoryEntry recordClaim(String why, Instant now) {
    JobHistoryEntry entry = new JobHistoryEntry(this, JobState.QUEUED, JobState.STARTING, now, why);
    history.add(entry);
    return entry;
  }

  public String tenantId() {
    return tenantId;
  }

  public String submittedBy() {
    return submittedBy;
  }

  public String idempotencyKey() {
    return idempotencyKey;
  }

  public String specHash() {
    return specHash;
  }

  public String specJson() {
    return specJson;
  }

  /** The spec as it runs, defaults filled in. */
  public JobSpec spec() {
    return JobSpecJson.read(specJson);
  }

  public Instant createdAt() {
    return createdAt;
  }

  public Instant updatedAt() {
    return updatedAt;
  }

  public Instant startedAt() {
    return startedAt;
  }

  public Instant finishedAt() {
    return finishedAt;
  }

  public Instant notBefore() {
    return notBefore;
  }

  void notBefore(Instant notBefore) {
    this.notBefore = notBefore;
  }

  public Instant filesRemovedAt() {
    return filesRemovedAt;
  }

  void filesRemovedAt(Instant filesRemovedAt) {
    this.filesRemovedAt = filesRemovedAt;
  }

  public Map<String, String> labels() {
    return labels;
  }

  public List<JobHistoryEntry> history() {
    return history;
  }

  public long version() {
    return version;
  }
}
