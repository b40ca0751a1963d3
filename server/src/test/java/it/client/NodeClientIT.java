package it.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.stevedore.node.NodeResource;
import dev.stevedore.node.NodeStatus;
import it.support.Ready;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.microshed.testing.jaxrs.RESTClient;
import org.microshed.testing.jaxrs.RestClientBuilder;
import org.microshed.testing.jupiter.MicroShedTest;

/**
 * The node as a load balancer or an operator reads it, through typed clients: the node status of
 * {@link NodeResource}, and the MicroProfile Health report.
 */
// Public: MicroShed Testing sets the client fields from outside the package.
@MicroShedTest
public class NodeClientIT {

  @RESTClient public static NodeApi node;

  /** MicroProfile Health's report, read as JSON-B reads any answer. */
  public record HealthReport(String status, List<Check> checks) {

    public record Check(String name, String status, Map<String, Object> data) {}
  }

  /** The health endpoints: the runtime's, outside the application's API, so an interface here. */
  @Path("/health")
  @Produces(MediaType.APPLICATION_JSON)
  public interface Health {

    @GET
    HealthReport all();
  }

  private static Health health;

  @BeforeAll
  static void clients() {
    Ready.application();
    Clients.signedIn(node);
    health =
        new RestClientBuilder()
            .withAppContextRoot(System.getProperty("stevedore.url"))
            .withJaxrsPath("/")
            .build(Health.class);
  }

  @Test
  void theClientHasTheResourcesRoutes() {
    Clients.assertMirrors(NodeApi.class, NodeResource.class);
  }

  @Test
  void theNodeStatusReadsAsTheResourceDeclaresIt() {
    NodeStatus status = node.status();

    assertTrue(status.capacity() >= 0 && status.capacity() <= 1, "capacity " + status.capacity());
    assertTrue(status.cpu().count() > 0);
    assertTrue(status.memory().availableBytes() <= status.memory().totalBytes());
    assertTrue(status.engine().reachable(), "the engine answers");
    assertTrue(status.jobs().running() >= 0);
  }

  @Test
  void theHealthReportIsUpWithEveryCheck() {
    HealthReport report = health.all();

    assertEquals("UP", report.status());
    Map<String, String> checks =
        report.checks().stream()
            .collect(Collectors.toMap(HealthReport.Check::name, HealthReport.Check::status));
    assertTrue(
        checks.keySet().containsAll(Set.of("dispatcher", "database", "docker-engine", "disk")),
        checks.toString());
    assertTrue(checks.values().stream().allMatch("UP"::equals), checks.toString());
  }
}
