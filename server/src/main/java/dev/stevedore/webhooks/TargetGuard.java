package dev.stevedore.webhooks;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.net.URI;
import java.net.UnknownHostException;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Decides whether the server may send a request to a URL: HTTPS (plain HTTP only by configuration),
 * and no address of the host in a loopback, private, link-local (cloud metadata), CGNAT,
 * unique-local, multicast or unspecified range, in any of its spellings (also inside an IPv6 form
 * that carries an IPv4 address), nor one of this machine's own addresses, unless an administrator's
 * allowlist names that {@code host:port}. It is asked at creation and again at every delivery,
 * since names can be re-pointed.
 */
@ApplicationScoped
public class TargetGuard {

  @Inject
  @ConfigProperty(name = "stevedore.webhooks.allow-http")
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
      return Optional.of(
          allowHttp
              ? "must be http or https"
              : "must be https (plain http needs STEVEDORE_WEBHOOKS_ALLOW_HTTP=true)");
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
      if (isInternal(address) || isOwn(address)) {
        return Optional.of(
            "its host resolves to an internal address ("
                + address.getHostAddress()
                + "); an administrator can allow this host and port with "
                + "STEVEDORE_WEBHOOKS_ALLOWED_TARGETS (stevedore.webhooks.allowed-targets)");
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
          || (first == 198 && (second == 18 || second == 19)) // benchmarking
          || first >= 240; // reserved, broadcast
    }
    int word0 = ((b[0] & 0xff) << 8) | (b[1] & 0xff);
    int word1 = ((b[2] & 0xff) << 8) | (b[3] & 0xff);
    if ((b[0] & 0xfe) == 0xfc // unique local fc00::/7
        || (word0 == 0x0100 && word1 == 0 && zero(b, 4, 8)) // discard-only 100::/64
        || (word0 == 0x2001 && word1 == 0x0db8) // documentation 2001:db8::/32
        || (word0 == 0x0064 && word1 == 0xff9b && b[4] == 0 && b[5] == 1)) { // local NAT64
      return true;
    }
    // Forms that carry an IPv4 address, which is what a packet to them reaches in the end.
    for (byte[] embedded : embeddedIpv4(b, word0, word1)) {
      try {
        if (isInternal(InetAddress.getByAddress(embedded))) {
          return true;
        }
      } catch (UnknownHostException e) {
        return true;
      }
    }
    return false;
  }

  /**
   * The IPv4 addresses inside an IPv6 one: mapped ({@code ::ffff:a.b.c.d}), compatible ({@code
   * ::a.b.c.d}), translated ({@code ::ffff:0:a.b.c.d}), NAT64 ({@code 64:ff9b::a.b.c.d}), 6to4
   * ({@code 2002:aabb:ccdd::}) and Teredo (server and obfuscated client).
   */
  static List<byte[]> embeddedIpv4(byte[] b, int word0, int word1) {
    byte[] last = Arrays.copyOfRange(b, 12, 16);
    boolean mapped = zero(b, 0, 10) && (b[10] & 0xff) == 0xff && (b[11] & 0xff) == 0xff;
    boolean compatible = zero(b, 0, 12);
    boolean translated =
        zero(b, 0, 8) && (b[8] & 0xff) == 0xff && (b[9] & 0xff) == 0xff && zero(b, 10, 12);
    boolean nat64 = word0 == 0x0064 && word1 == 0xff9b && zero(b, 4, 12);
    if (mapped || compatible || translated || nat64) {
      return List.of(last);
    }
    if (word0 == 0x2002) {
      return List.of(Arrays.copyOfRange(b, 2, 6));
    }
    if (word0 == 0x2001 && word1 == 0) {
      byte[] client = last.clone();
      for (int i = 0; i < client.length; i++) {
        client[i] = (byte) ~client[i];
      }
      return List.of(Arrays.copyOfRange(b, 4, 8), client);
    }
    return List.of();
  }

  private static boolean zero(byte[] b, int from, int to) {
    for (int i = from; i < to; i++) {
      if (b[i] != 0) {
        return false;
      }
    }
    return true;
  }

  /** Whether the address is one of this machine's own, which reaches the server's own ports. */
  static boolean isOwn(InetAddress address) {
    try {
      return NetworkInterface.getByInetAddress(address) != null;
    } catch (SocketException e) {
      return true; // cannot tell: refuse
    }
  }
}
