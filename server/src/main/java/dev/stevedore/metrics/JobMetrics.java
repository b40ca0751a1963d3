package dev.stevedore.metrics;

import dev.stevedore.dispatch.Dispatcher;
import dev.stevedore.job.JobState;
import dev.stevedore.job.JobStateChanged;
import dev.stevedore.node.NodeSampler;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.event.Startup;
import jakarta.enterprise.event.TransactionPhase;
import jakarta.inject.Inject;
import org.eclipse.microprofile.metrics.Metadata;
import org.eclipse.microprofile.metrics.MetricRegistry;
import org.eclipse.microprofile.metrics.MetricUnits;
import org.eclipse.microprofile.metrics.Tag;

/**
 * Job metrics of this node, from the state changes it makes: counters of jobs submitted and ended
 * (by end state), timers of how long jobs wait, take to start and run, and gauges of the queue and
 * the free slots. docs/operations.md names and explains each one.
 */
@ApplicationScoped
public class JobMetrics {

  private static final Metadata SUBMITTED =
      describe("stevedore.jobs.submitted", "Jobs accepted", MetricUnits.NONE);
  private static final Metadata FINISHED =
      describe("stevedore.jobs.finished", "Jobs that ended, by end state", MetricUnits.NONE);
  private static final Metadata QUEUE_WAIT =
      describe(
          "stevedore.jobs.queue.wait",
          "From queued (or requeued for a retry) to claimed by a node",
          MetricUnits.SECONDS);
  private static final Metadata CONTAINER_START =
      describe(
          "stevedore.container.start",
          "From claimed to container running: create (and pull if missing) and start",
          MetricUnits.SECONDS);
  private static final Metadata RUN_TIME =
      describe(
          "stevedore.jobs.run.time",
          "From container running to an attempt's end",
          MetricUnits.SECONDS);

  private static final Metadata DISPATCH_PASS =
      describe(
          "stevedore.dispatch.pass",
          "A dispatch pass of this node that read the queue: reads, claims and hand-over to runners",
          MetricUnits.SECONDS);
  private static final Metadata DISPATCH_CLAIM =
      describe(
          "stevedore.dispatch.claim",
          "The claims of one dispatch pass: their transactions in the database",
          MetricUnits.SECONDS);

  @Inject MetricRegistry registry;
  @Inject Dispatcher dispatcher;
  @Inject NodeSampler sampler;

  void registerGauges(@Observes Startup startup) {
    registry.gauge(
        describe("stevedore.jobs.running", "Jobs running on this node", MetricUnits.NONE),
        dispatcher,
        Dispatcher::running);
    registry.gauge(
        describe(
            "stevedore.jobs.queued",
            "Jobs waiting in the queue, of every node sharing the database (sampled)",
            MetricUnits.NONE),
        sampler,
        NodeSampler::queued);
    registry.gauge(
        describe(
            "stevedore.dispatch.free.slots", "Jobs this node could start now", MetricUnits.NONE),
        dispatcher,
        d -> Math.max(0, d.maxConcurrent() - d.running()));
    registry.gauge(
        describe(
            "stevedore.node.capacity",
            "Share of this node still free, 0 to 1, as in GET /api/v1/node",
            MetricUnits.NONE),
        sampler,
        NodeSampler::capacity);
  }

  void onDispatchPass(@Observes dev.stevedore.dispatch.DispatchPassed pass) {
    registry.timer(DISPATCH_PASS).update(pass.pass());
    if (pass.claimed() > 0) {
      registry.timer(DISPATCH_CLAIM).update(pass.claiming());
    }
  }

  void onStateChange(@Observes(during = TransactionPhase.AFTER_SUCCESS) JobStateChanged change) {
    if (change.from() == null) {
      registry.counter(SUBMITTED).inc();
      return;
    }
    if (change.terminal()) {
      registry.counter(FINISHED, new Tag("state", change.to().name())).inc();
    }
    if (change.from() == JobState.QUEUED && change.to() == JobState.STARTING) {
      registry.timer(QUEUE_WAIT).update(change.timeIn());
    } else if (change.from() == JobState.STARTING && change.to() == JobState.RUNNING) {
      registry.timer(CONTAINER_START).update(change.timeIn());
    } else if (change.from() == JobState.RUNNING && change.to().isFinished()) {
      registry.timer(RUN_TIME).update(change.timeIn());
    }
  }

  private static Metadata describe(String name, String description, String unit) {
    return Metadata.builder().withName(name).withDescription(description).withUnit(unit).build();
  }
}
