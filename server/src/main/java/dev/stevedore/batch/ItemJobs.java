package dev.stevedore.batch;

import dev.stevedore.core.DomainException;
import dev.stevedore.core.JobId;
import dev.stevedore.job.Job;
import dev.stevedore.job.JobRepository;
import dev.stevedore.job.JobService;
import dev.stevedore.job.JobSpec;
import dev.stevedore.job.JobSpecJson;
import dev.stevedore.workspace.InputStager;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import java.io.InputStream;
import java.util.List;

/**
 * The jobs of batch items, each call in a transaction of its own: a batch step calls them while its
 * chunk transaction is open, and a job must be visible to the dispatcher before that commits.
 */
@ApplicationScoped
public class ItemJobs {

  @Inject BatchRepository store;
  @Inject JobService jobs;
  @Inject JobRepository repository;
  @Inject BatchFiles files;
  @Inject jakarta.enterprise.event.Event<BatchProgressed> progress;

  /**
   * Submits the item's job and records it on the item, in one transaction. The idempotency key
   * names the item and its run, so a repeated call makes no second job. A refusal (the tenant's
   * queue is full) leaves nothing written and is no incident: the runner waits and asks again.
   */
  @Transactional(value = Transactional.TxType.REQUIRES_NEW, dontRollbackOn = DomainException.class)
  public String start(Batch batch, BatchItem item) {
    JobSpec spec =
        ItemSpecs.of(
            JobSpecJson.read(batch.templateJson()),
            batch.id(),
            batch.name(),
            item.index(),
            batch.itemRetries(),
            ItemOverridesJson.read(item.overridesJson()));
    String key = "batch:" + batch.id() + ":" + item.index() + ":" + (item.runs() + 1);
    if (store.stopRequestedHere(batch.id())) {
      throw new ItemInterruptedException(); // stopped since the processor looked
    }
    try (InputStream input =
        item.inputName() == null
            ? null
            : files.openInput(batch.id(), item.index(), item.inputName())) {
      JobService.Inputs inputs =
          input == null
              ? JobService.Inputs.NONE
              : new JobService.Inputs(
                  List.of(new InputStager.Upload(item.inputName(), input)), null);
      String jobId =
          jobs.submitAs(batch.tenantId(), batch.submittedBy(), spec, key, inputs).job().id();
      store.itemStarted(batch.id(), item.index(), jobId);
      progress.fire(new BatchProgressed(batch.id(), List.of()));
      return jobId;
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  /** How the job stands now, read fresh; null if it no longer exists. */
  @Transactional(Transactional.TxType.REQUIRES_NEW)
  public ItemRunner.Outcome outcome(String jobId) {
    Job job = repository.find(new JobId(jobId)).orElse(null);
    return job == null ? null : new ItemRunner.Outcome(job.state(), job.exitCode(), job.reason());
  }
}
