package dev.stevedore.sandbox;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;

/** One command run in a sandbox, recorded when it has ended; its output is never stored. */
@Entity
@Table(name = "sandbox_exec")
public class SandboxExec {

  @Id
  @Column(length = 36)
  private String id;

  @Column(name = "sandbox_id", nullable = false)
  private String sandboxId;

  /** The command as a JSON array. */
  @Column(nullable = false)
  private String command;

  @Column(name = "started_at", nullable = false)
  private Instant startedAt;

  @Column(name = "duration_ms", nullable = false)
  private long durationMs;

  @Column(name = "exit_code")
  private Integer exitCode;

  @Column(name = "timed_out", nullable = false)
  private boolean timedOut;

  protected SandboxExec() {}

  SandboxExec(
      String id,
      String sandboxId,
      String command,
      Instant startedAt,
      long durationMs,
      Integer exitCode,
      boolean timedOut) {
    this.id = id;
    this.sandboxId = sandboxId;
    this.command = command;
    this.startedAt = startedAt;
    this.durationMs = durationMs;
    this.exitCode = exitCode;
    this.timedOut = timedOut;
  }

  public String id() {
    return id;
  }

  public String sandboxId() {
    return sandboxId;
  }

  public String command() {
    return command;
  }

  public Instant startedAt() {
    return startedAt;
  }

  public long durationMs() {
    return durationMs;
  }

  public Integer exitCode() {
    return exitCode;
  }

  public boolean timedOut() {
    return timedOut;
  }
}
