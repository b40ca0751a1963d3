package dev.stevedore.batch;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;

/** One work item of a batch, and what became of it. */
@Entity
@Table(name = "batch_item")
public class BatchItem {

  @Id private String id;

  @Column(name = "batch_id", nullable = false)
  private String batchId;

  @Column(name = "item_index", nullable = false)
  private int index;

  @Column(name = "overrides_json", nullable = false)
  private String overridesJson;

  /** The name of the item's uploaded input file, if the batch came with one per item. */
  @Column(name = "input_name")
  private String inputName;

  @Enumerated(EnumType.STRING)
  @Column(nullable = false)
  private BatchItemState state;

  @Column(name = "job_id")
  private String jobId;

  /** How many jobs were started for the item: more than one only after interruptions. */
  @Column(nullable = false)
  private int runs;

  @Column(name = "exit_code")
  private Integer exitCode;

  private String reason;

  @Column(name = "finished_at")
  private Instant finishedAt;

  protected BatchItem() {}

  BatchItem(String batchId, int index, String overridesJson, String inputName) {
    this.id = batchId + ":" + index;
    this.batchId = batchId;
    this.index = index;
    this.overridesJson = overridesJson;
    this.inputName = inputName;
    this.state = BatchItemState.PENDING;
  }

  static String id(String batchId, int index) {
    return batchId + ":" + index;
  }

  public String batchId() {
    return batchId;
  }

  public int index() {
    return index;
  }

  public String overridesJson() {
    return overridesJson;
  }

  public String inputName() {
    return inputName;
  }

  public BatchItemState state() {
    return state;
  }

  public String jobId() {
    return jobId;
  }

  public int runs() {
    return runs;
  }

  public Integer exitCode() {
    return exitCode;
  }

  public String reason() {
    return reason;
  }

  public Instant finishedAt() {
    return finishedAt;
  }

  /** Its job is submitted (a new one, if it had one before). */
  void started(String jobId) {
    BatchTransitions.check(id, state, BatchItemState.RUNNING);
    this.state = BatchItemState.RUNNING;
    this.jobId = jobId;
    this.runs++;
    this.exitCode = null;
    this.reason = null;
    this.finishedAt = null;
  }

  /** Its run ended, or it is to run (again): the table of {@link BatchTransitions} says whether. */
  void ended(BatchItemState state, Integer exitCode, String reason, Instant at) {
    BatchTransitions.check(id, this.state, state);
    this.state = state;
    this.exitCode = exitCode;
    this.reason = reason;
    this.finishedAt = state.isFinished() ? at : null;
  }

  /** The item as the API shows it. */
  BatchItemView view() {
    return new BatchItemView(index, state, jobId, runs, exitCode, reason, finishedAt, inputName);
  }
}
