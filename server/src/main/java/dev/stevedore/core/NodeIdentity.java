package dev.stevedore.core;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * The name of this node, on its containers' labels and its jobs. Configured, or else the host name
 * at the first start, kept in the data directory: a node whose host name changes (a server in a
 * container, say) must still recognise its own containers after a restart.
 */
@ApplicationScoped
public class NodeIdentity {

  private static final String FILE = "node-name";

  @Inject
  @ConfigProperty(name = "stevedore.node.name")
  Optional<String> configured;

  @Inject
  @ConfigProperty(name = "stevedore.data.dir")
  String dataDir;

  @Inject Installation installation;

  private String name;

  /** The installation this node belongs to: a label on every container, beside the node name. */
  public String installation() {
    return installation.id();
  }

  public synchronized String name() {
    if (name == null) {
      name = configured.map(String::trim).filter(n -> !n.isEmpty()).orElseGet(this::remembered);
    }
    return name;
  }

  private String remembered() {
    Path file = Path.of(dataDir).toAbsolutePath().normalize().resolve(FILE);
    try {
      if (Files.isRegularFile(file)) {
        String kept = Files.readString(file, StandardCharsets.UTF_8).trim();
        if (!kept.isEmpty()) {
          return kept;
        }
      }
      String host = hostName();
      Files.writeString(file, host + "\n", StandardCharsets.UTF_8);
      return host;
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot keep the node name in " + file, e);
    }
  }

  private static String hostName() {
    try {
      return InetAddress.getLocalHost().getHostName();
    } catch (UnknownHostException e) {
      return "localhost";
    }
  }
}
