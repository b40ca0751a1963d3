package dev.stevedore.runtime.docker;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.core.DefaultDockerClientConfig;
import com.github.dockerjava.core.DockerClientConfig;
import com.github.dockerjava.core.DockerClientImpl;
import com.github.dockerjava.httpclient5.ApacheDockerHttpClient;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.StandardProtocolFamily;
import java.net.URI;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.SocketChannel;
import java.time.Duration;
import java.util.Optional;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * The two Docker clients the server owns. Log streams and waits hold a connection for as long as a
 * container runs, so they get a client of their own: short calls (create, start, stop) never queue
 * behind them.
 */
@ApplicationScoped
public class DockerClients {

  private static final Logger LOG = Logger.getLogger(DockerClients.class.getName());
  static final String DEFAULT_HOST = "unix:///var/run/docker.sock";

  @Inject
  @ConfigProperty(name = "stevedore.docker.host")
  Optional<String> configuredHost;

  @Inject
  @ConfigProperty(name = "stevedore.docker.connect-timeout-seconds")
  int connectTimeoutSeconds;

  @Inject
  @ConfigProperty(name = "stevedore.docker.response-timeout-seconds")
  int responseTimeoutSeconds;

  @Inject
  @ConfigProperty(name = "stevedore.docker.max-streams")
  int maxStreams;

  private String host;
  private DockerClient control;
  private DockerClient streaming;

  /** Where the engine is: configuration, else {@code DOCKER_HOST}, else the local socket. */
  public synchronized String host() {
    if (host == null) {
      host =
          configuredHost
              .filter(h -> !h.isBlank())
              .or(() -> Optional.ofNullable(System.getenv("DOCKER_HOST")).filter(h -> !h.isBlank()))
              .orElse(DEFAULT_HOST);
    }
    return host;
  }

  /** For short calls; each answer is bounded by the response timeout. */
  public synchronized DockerClient control() {
    if (control == null) {
      control = build(32, Duration.ofSeconds(responseTimeoutSeconds));
    }
    return control;
  }

  /** For calls that last as long as a container: log streams, waits, pulls. */
  public synchronized DockerClient streaming() {
    if (streaming == null) {
      streaming = build(maxStreams, null);
    }
    return streaming;
  }

  private DockerClient build(int maxConnections, Duration responseTimeout) {
    DockerClientConfig config =
        DefaultDockerClientConfig.createDefaultConfigBuilder().withDockerHost(host()).build();
    ApacheDockerHttpClient.Builder http =
        new ApacheDockerHttpClient.Builder()
            .dockerHost(config.getDockerHost())
            .sslConfig(config.getSSLConfig())
            .maxConnections(maxConnections)
            .connectionTimeout(Duration.ofSeconds(connectTimeoutSeconds));
    if (responseTimeout != null) {
      http.responseTimeout(responseTimeout);
    }
    return DockerClientImpl.getInstance(config, http.build());
  }

  /**
   * Whether the engine takes a new connection now. Unlike a call on a pooled connection this tells
   * a stopping engine from a running one: the engine closes its listener first, then stops its
   * containers, while connections already open are still served.
   */
  public boolean acceptsConnections() {
    URI uri = URI.create(host());
    try {
      if ("unix".equals(uri.getScheme())) {
        try (SocketChannel channel = SocketChannel.open(StandardProtocolFamily.UNIX)) {
          return channel.connect(UnixDomainSocketAddress.of(uri.getPath()));
        }
      }
      if ("tcp".equals(uri.getScheme())
          || "http".equals(uri.getScheme())
          || "https".equals(uri.getScheme())) {
        try (Socket socket = new Socket()) {
          socket.connect(
              new InetSocketAddress(uri.getHost(), uri.getPort()), connectTimeoutSeconds * 1000);
          return true;
        }
      }
      return true; // cannot tell for other transports
    } catch (IOException | RuntimeException e) {
      return false;
    }
  }

  @PreDestroy
  synchronized void close() {
    for (DockerClient client : new DockerClient[] {control, streaming}) {
      if (client != null) {
        try {
          client.close();
        } catch (IOException e) {
          LOG.log(Level.FINE, "Closing a Docker client failed", e);
        }
      }
    }
  }
}
