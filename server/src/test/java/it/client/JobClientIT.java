package it.client;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.stevedore.core.JobId;
import dev.stevedore.job.JobPage;
import dev.stevedore.job.JobResource;
import dev.stevedore.job.JobSpec;
import dev.stevedore.job.JobState;
import dev.stevedore.job.JobView;
import it.support.Api;
import it.support.Ready;
import jakarta.ws.rs.core.Response;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.microshed.testing.jaxrs.RESTClient;
import org.microshed.testing.jupiter.MicroShedTest;

/**
 * The job API through a typed client of {@link JobResource}'s routes (MicroShed Testing against the
 * server the build started): requests and answers are the application's own types. The raw HTTP
 * tests (JobRunIT, JobListingIT and others) keep checking statuses, headers and problem documents.
 */
// Public: MicroShed Testing sets the client fields from outside the package.
@MicroShedTest
public class JobClientIT {

  @RESTClient public static JobsApi jobs;

  @BeforeAll
  static void signIn() {
    Ready.application();
    Clients.signedIn(jobs);
  }

  private static JobSpec spec(String name, Map<String, String> labels) {
    return new JobSpec(
        name,
        Api.AGENT_IMAGE,
        List.of("true"),
        null,
        null,
        null,
        null,
        60,
        null,
        null,
        null,
        labels,
        null,
        null);
  }

  @Test
  void theClientHasTheResourcesRoutes() {
    Clients.assertMirrors(JobsApi.class, JobResource.class);
  }

  @Test
  void aSubmittedJobReadsBackAndRunsToItsEnd() {
    String name = "client-" + UUID.randomUUID().toString().substring(0, 8);

    Response created = jobs.submit(spec(name, Map.of("via", "typed-client")), null);

    assertEquals(201, created.getStatus());
    JobView submitted = created.readEntity(JobView.class);
    assertEquals(name, submitted.name());
    assertEquals(created.getLocation().getPath(), "/api/v1/jobs/" + submitted.id());
    JobId id = new JobId(submitted.id());

    JobView ended =
        await()
            .atMost(Duration.ofSeconds(60))
            .pollInterval(Duration.ofMillis(250))
            .until(() -> jobs.get(id), job -> job.state().isFinished());

    assertEquals(JobState.SUCCEEDED, ended.state(), ended.reason());
    assertEquals(0, ended.exitCode());
    assertEquals(Api.AGENT_IMAGE, ended.spec().image());
    assertEquals(List.of("true"), ended.spec().command());
    assertEquals(Map.of("via", "typed-client"), ended.spec().labels());
    assertNotNull(ended.startedAt());
    assertEquals(
        List.of(JobState.QUEUED, JobState.STARTING, JobState.RUNNING, JobState.SUCCEEDED),
        ended.history().stream().map(JobView.Transition::to).toList());
  }

  @Test
  void aRepeatedSubmissionAnswersTheFirstJobAndListingsFindIt() {
    String name = "client-" + UUID.randomUUID().toString().substring(0, 8);
    String run = UUID.randomUUID().toString();
    JobSpec spec = spec(name, Map.of("run", run));
    String key = UUID.randomUUID().toString();

    Response first = jobs.submit(spec, key);
    Response again = jobs.submit(spec, key);

    assertEquals(201, first.getStatus());
    assertEquals(200, again.getStatus());
    String id = first.readEntity(JobView.class).id();
    assertEquals(id, again.readEntity(JobView.class).id());

    JobPage page = jobs.list(name, List.of("run=" + run), 10, null);

    assertEquals(List.of(id), page.items().stream().map(JobView::id).toList());
    assertNull(page.nextCursor());
    JobView listed = page.items().get(0);
    assertNull(listed.history(), "lists leave the history out");
    assertNull(listed.spec().command(), "lists show the spec's summary");
    assertEquals(name, listed.spec().name());
  }
}
