package dev.stevedore.node;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Optional;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/** The name of this node: configured, else the host name. It labels the node's containers. */
@ApplicationScoped
public class NodeIdentity {

  @Inject
  @ConfigProperty(name = "stevedore.node.name")
  Optional<String> configured;

  private String name;

  public synchronized String name() {
    if (name == null) {
      name = configured.filter(n -> !n.isBlank()).orElseGet(NodeIdentity::hostName);
    }
    return name;
  }

  private static String hostName() {
    try {
      return InetAddress.getLocalHost().getHostName();
    } catch (UnknownHostException e) {
      return "localhost";
    }
  }
}
