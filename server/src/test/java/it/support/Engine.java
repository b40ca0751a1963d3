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
    var config = DefaultDockerClientConfig.createDefaultConfigBuilder().build();
    var http = new ApacheDockerHttpClient.Builder().dockerHost(config.getDockerHost()).build();
    return DockerClientImpl.getInstance(config, http);
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
}
