package dev.stevedore.node;

import dev.stevedore.core.NodeAdmission;
import dev.stevedore.core.NodeIdentity;
import dev.stevedore.core.NotFoundException;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/** The nodes of the installation: listed from the node table, drained and undrained there. */
@ApplicationScoped
public class NodeService {

  @Inject NodeRepository nodes;

  @Inject NodeIdentity identity;

  @Inject NodeAdmission admission;

  public Duration deadAfter() {
    return admission.deadAfter();
  }

  public List<NodeView> list() {
    Instant now = Instant.now();
    return nodes.all().stream().map(row -> view(row, now)).toList();
  }

  /** Stops the node claiming new work; its running jobs finish. */
  public NodeView drain(String name) {
    return setDraining(name, true);
  }

  /** Lets a drained node claim work again. */
  public NodeView undrain(String name) {
    return setDraining(name, false);
  }

  private NodeView setDraining(String name, boolean draining) {
    if (!nodes.drain(name, draining)) {
      throw new NotFoundException("node", "There is no node " + name);
    }
    if (name.equals(identity.name())) {
      admission.draining(draining); // this node at once; the others with their next heartbeat
    }
    Instant now = Instant.now();
    return nodes.all().stream()
        .filter(row -> row.name().equals(name))
        .map(row -> view(row, now))
        .findFirst()
        .orElseThrow(() -> new NotFoundException("node", "There is no node " + name));
  }

  private NodeView view(NodeRepository.NodeRow row, Instant now) {
    Duration silence = Duration.between(row.heartbeatAt(), now);
    NodeView.State state =
        row.released() || silence.compareTo(deadAfter()) > 0
            ? NodeView.State.DEAD
            : row.draining() ? NodeView.State.DRAINING : NodeView.State.UP;
    NodeReport report = row.report();
    List<Double> load =
        Arrays.asList(report.load1(), report.load5(), report.load15()).stream()
                .allMatch(Objects::isNull)
            ? null
            : Arrays.asList(report.load1(), report.load5(), report.load15());
    return new NodeView(
        row.name(),
        state,
        report.advertisedUrl(),
        report.engineId(),
        report.version(),
        report.slots(),
        report.running(),
        load,
        report.diskFreeBytes(),
        row.startedAt(),
        row.heartbeatAt());
  }
}
