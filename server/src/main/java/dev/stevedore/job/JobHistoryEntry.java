package dev.stevedore.job;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.FetchType;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.JoinColumn;
import jakarta.persistence.ManyToOne;
import jakarta.persistence.SequenceGenerator;
import jakarta.persistence.Table;
import java.time.Instant;

/** One state change of a job: when, from what to what, why, and in which attempt. */
@Entity
@Table(name = "job_history")
public class JobHistoryEntry {

  @Id
  @SequenceGenerator(
      name = "job_history_seq",
      sequenceName = "job_history_seq",
      allocationSize = 50)
  @GeneratedValue(strategy = GenerationType.SEQUENCE, generator = "job_history_seq")
  private Long id;

  @ManyToOne(fetch = FetchType.LAZY, optional = false)
  @JoinColumn(name = "job_id")
  private Job job;

  @Enumerated(EnumType.STRING)
  @Column(name = "from_state")
  private JobState from;

  @Enumerated(EnumType.STRING)
  @Column(name = "to_state", nullable = false)
  private JobState to;

  @Column(name = "changed_at", nullable = false)
  private Instant at;

  private int attempt;

  private String reason;

  @Column(name = "exit_code")
  private Integer exitCode;

  protected JobHistoryEntry() {}

  JobHistoryEntry(Job job, JobState from, JobState to, Instant at, String reason) {
    this.job = job;
    this.from = from;
    this.to = to;
    this.at = at;
    this.attempt = job.attempt();
    this.reason = reason;
  }

  public JobState from() {
    return from;
  }

  public JobState to() {
    return to;
  }

  public Instant at() {
    return at;
  }

  public int attempt() {
    return attempt;
  }

  public String reason() {
    return reason;
  }

  /** The exit code of the attempt this entry ended, if it ended one. */
  public Integer exitCode() {
    return exitCode;
  }

  void exitCode(Integer exitCode) {
    this.exitCode = exitCode;
  }
}
