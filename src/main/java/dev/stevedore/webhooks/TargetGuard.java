package dev.stevedore.webhooks;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Decides whether the server may send a request to a URL: HTTPS (plain HTTP only by configuration),
 * and no address of the host in a loopback, private, link-local (cloud metadata), CGNAT,
 * unique-local, multicast or unspecified range, in any of its spellings, unless an administrator's
 * allowlist names that {@code host:port}. It is asked at creation and again at every delivery,
 * since names can be re-pointed.
 */
@ApplicationScoped
public class TargetGuard {

  @Inject
  @ConfigProperty(name = "stevedore.webhooks.allow-http", defaultValue = "false")
  boolean allowHttp;

  @Inject
  @ConfigProperty(name = "stevedore.webhooks.allowed-targets")
  Optional<List<String>> allowedTargets;

  /** Why the URL may not be called, or empty if it may. */
  public Optional<String> refusal(String url) {
    URI uri;
    try {
      uri = new URI(url);
    } catch (Exception e) {
      return Optional.of("not a URL");
    }
    String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
    if (!scheme.equals("https") && !(allowHttp && scheme.equals("http"))) {
      return Optional.of(allowHttp ? "must be http or https" : "must be https");
    }
    String host = uri.getHost();
    if (host == null || host.isBlank() || uri.getUserInfo() != null) {
      return Optional.of("needs a host and no user information");
    }
    int port = uri.getPort() >= 0 ? uri.getPort() : (scheme.equals("https") ? 443 : 80);
    String bareHost = host.startsWith("[") ? host.substring(1, host.length() - 1) : host;
    InetAddress[] addresses;
    try {
      addresses = InetAddress.getAllByName(bareHost);
    } catch (UnknownHostException e) {
      return Optional.of("its host does not resolve");
    }
    for (InetAddress address : addresses) {
      if (isAllowed(bareHost, address, port)) {
        continue;
      }
      if (isInternal(address)) {
        return Optional.of(
            "its host resolves to an internal address (" + address.getHostAddress() + ")");
      }
    }
    return Optional.empty();
  }

  private boolean isAllowed(String host, InetAddress address, int port) {
    List<String> allowed = allowedTargets.orElse(List.of());
    String byName = host.toLowerCase(Locale.ROOT) + ":" + port;
    String byAddress = address.getHostAddress() + ":" + port;
    return allowed.stream()
        .map(String::trim)
        .anyMatch(a -> a.equalsIgnoreCase(byName) || a.equals(byAddress));
  }

  static boolean isInternal(InetAddress address) {
    if (address.isLoopbackAddress()
        || address.isAnyLocalAddress()
        || address.isLinkLocalAddress()
        || address.isSiteLocalAddress()
        || address.isMulticastAddress()) {
      return true;
    }
    byte[] b = address.getAddress();
    if (address instanceof Inet4Address) {
      int first = b[0] & 0xff;
      int second = b[1] & 0xff;
      return first == 0 // "this network"
          || (first == 100 && second >= 64 && second <= 127) // CGNAT
          || (first == 192 && second == 0 && (b[2] & 0xff) == 0) // IETF protocol assignments
          || first >= 240; // reserved, broadcast
    }
    if (address instanceof Inet6Address) {
      if ((b[0] & 0xfe) == 0xfc) {
        return true; // unique local fc00::/7
      }
      boolean mapped = true; // ::ffff:a.b.c.d, in case the platform did not unwrap it
      for (int i = 0; i < 10; i++) {
        mapped &= b[i] == 0;
      }
      if (mapped && (b[10] & 0xff) == 0xff && (b[11] & 0xff) == 0xff) {
        try {
          return isInternal(InetAddress.getByAddress(java.util.Arrays.copyOfRange(b, 12, 16)));
        } catch (UnknownHostException e) {
          return true;
        }
      }
    }
    return false;
  }
}
