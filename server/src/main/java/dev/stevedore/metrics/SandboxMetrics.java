package dev.stevedore.metrics;

import dev.stevedore.sandbox.SandboxChanged;
import dev.stevedore.sandbox.SandboxExecuted;
import dev.stevedore.sandbox.SandboxService;
import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.event.TransactionPhase;
import jakarta.inject.Inject;
import java.time.Duration;
import org.eclipse.microprofile.metrics.Metadata;
import org.eclipse.microprofile.metrics.MetricRegistry;
import org.eclipse.microprofile.metrics.MetricUnits;
import org.eclipse.microprofile.metrics.Tag;

/**
 * Sandbox metrics of this node: sandboxes ready now, sandboxes ended (by why, in short), and the
 * commands run in them with their durations and timeouts.
 */
@ApplicationScoped
public class SandboxMetrics {

  private static final Metadata READY =
      describe("stevedore.sandboxes.ready", "Sandboxes of this node whose container runs");
  private static final Metadata ENDED =
      describe("stevedore.sandboxes.ended", "Sandboxes ended on this node, by cause");
  private static final Metadata EXECS =
      describe("stevedore.sandbox.execs", "Commands run in sandboxes of this node");
  private static final Metadata TIMEOUTS =
      describe("stevedore.sandbox.exec.timeouts", "Commands killed at their timeout");
  private static final Metadata EXEC_TIME =
      Metadata.builder()
          .withName("stevedore.sandbox.exec.time")
          .withDescription("How long commands in sandboxes ran")
          .withUnit(MetricUnits.SECONDS)
          .build();

  @Inject MetricRegistry registry;
  @Inject SandboxService sandboxes;

  @PostConstruct
  void register() {
    registry.gauge(READY, sandboxes, SandboxService::readyCount);
  }

  void onChange(@Observes(during = TransactionPhase.AFTER_SUCCESS) SandboxChanged change) {
    if (change.reason() != null) {
      registry.counter(ENDED, new Tag("cause", cause(change.reason()))).inc();
    }
  }

  void onExec(@Observes SandboxExecuted exec) {
    registry.counter(EXECS).inc();
    registry.timer(EXEC_TIME).update(Duration.ofMillis(exec.durationMs()));
    if (exec.timedOut()) {
      registry.counter(TIMEOUTS).inc();
    }
  }

  /** A short, bounded name for why a sandbox ended: a tag value must not be free text. */
  static String cause(String reason) {
    if (reason.startsWith("deleted")) {
      return "deleted";
    }
    if (reason.startsWith("idle")) {
      return "idle";
    }
    if (reason.startsWith("reached its maximum lifetime")) {
      return "lifetime";
    }
    if (reason.contains("OOM")) {
      return "oom";
    }
    if (reason.startsWith("its container")) {
      return "container";
    }
    if (reason.startsWith("could not start")) {
      return "start";
    }
    return "other";
  }

  private static Metadata describe(String name, String description) {
    return Metadata.builder()
        .withName(name)
        .withDescription(description)
        .withUnit(MetricUnits.NONE)
        .build();
  }
}
