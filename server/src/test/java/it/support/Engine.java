package it.support;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.model.Container;
import com.github.dockerjava.core.DefaultDockerClientConfig;
import com.github.dockerjava.core.DockerClientImpl;
import com.github.dockerjava.httpclient5.ApacheDockerHttpClient;
import java.util.List;
import java.util.Map;

/** The Docker engine, asked directly: what really runs, whatever the server says. */
public final class Engine {

  private static final DockerClient DOCKER = connect();

  private Engine() {}

  private static DockerClient connect() {
    return connect(DefaultDockerClientConfig.createDefaultConfigBuilder().build());
  }

  private static DockerClient connect(DefaultDockerClientConfig config) {
    var http = new ApacheDockerHttpClient.Builder().dockerHost(config.getDockerHost()).build();
    return DockerClientImpl.getInstance(config, http);
  }

  /** Another engine, at {@code host} (unix:///…/docker.sock). */
  public static DockerClient at(String host) {
    return connect(
        DefaultDockerClientConfig.createDefaultConfigBuilder().withDockerHost(host).build());
  }

  /** Every container of {@code engine}, running or not, labelled as belonging to the job. */
  public static List<Container> containersOf(DockerClient engine, String jobId) {
    return engine
        .listContainersCmd()
        .withShowAll(true)
        .withLabelFilter(Map.of("stevedore.job", jobId))
        .exec();
  }

  public static DockerClient docker() {
    return DOCKER;
  }

  /** Every container, running or not, labelled as belonging to the job. */
  public static List<Container> containersOf(String jobId) {
    return DOCKER
        .listContainersCmd()
        .withShowAll(true)
        .withLabelFilter(Map.of("stevedore.job", jobId))
        .exec();
  }

  /** Running containers of any of the jobs. */
  public static long runningAmong(List<String> jobIds) {
    return DOCKER.listContainersCmd().withLabelFilter(List.of("stevedore.job")).exec().stream()
        .filter(c -> jobIds.contains(c.getLabels().get("stevedore.job")))
        .count();
  }

  /**
   * Counts, from the moment it is made until it is closed, the containers {@code engine} makes for
   * each job (its label), as the engine's event stream tells them. The stream is watched live: an
   * engine replays only its last few hundred events.
   */
  public static Creations watchCreations(DockerClient engine) {
    Creations creations = new Creations();
    engine
        .eventsCmd()
        .withEventTypeFilter(com.github.dockerjava.api.model.EventType.CONTAINER)
        .withEventFilter("create")
        .exec(creations);
    return creations;
  }

  /** Containers made per job, while watched. */
  public static final class Creations
      extends com.github.dockerjava.api.async.ResultCallback.Adapter<
          com.github.dockerjava.api.model.Event> {

    private final Map<String, Integer> perJob = new java.util.concurrent.ConcurrentHashMap<>();

    @Override
    public void onNext(com.github.dockerjava.api.model.Event event) {
      var actor = event.getActor();
      String job = actor == null ? null : actor.getAttributes().get("stevedore.job");
      if (job != null) {
        perJob.merge(job, 1, Integer::sum);
      }
    }

    public int of(String jobId) {
      return perJob.getOrDefault(jobId, 0);
    }
  }
}
