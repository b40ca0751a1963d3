package dev.stevedore.security;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Which web pages may open a WebSocket stream. A browser sends the page's {@code Origin} with every
 * handshake and lets any page open a socket to any server, so without this check a page elsewhere
 * could use a visitor's ticket. Allowed: no {@code Origin} at all (clients that are no browser),
 * the server's own origin, and those listed in {@code stevedore.streams.allowed-origins}.
 */
@ApplicationScoped
public class OriginPolicy {

  private final Set<String> allowed;

  @Inject
  public OriginPolicy(
      @ConfigProperty(name = "stevedore.streams.allowed-origins")
          Optional<List<String>> allowedOrigins) {
    this.allowed =
        allowedOrigins.orElse(List.of()).stream()
            .map(String::trim)
            .filter(o -> !o.isEmpty())
            .map(OriginPolicy::normalize)
            .collect(Collectors.toUnmodifiableSet());
  }

  /** For CDI's proxy. */
  protected OriginPolicy() {
    this.allowed = Set.of();
  }

  /**
   * @param origin the request's {@code Origin} header, or null
   * @param scheme the scheme the request came in with ({@code http}, {@code https})
   * @param host the request's {@code Host} header
   */
  public boolean allows(String origin, String scheme, String host) {
    if (origin == null) {
      return true;
    }
    String asked = normalize(origin);
    if (host != null && asked.equals(normalize(scheme + "://" + host))) {
      return true;
    }
    return allowed.contains(asked);
  }

  /** Lower case, no trailing slash, no default port: the forms a browser and a list may use. */
  static String normalize(String origin) {
    String o = origin.trim().toLowerCase(Locale.ROOT);
    while (o.endsWith("/")) {
      o = o.substring(0, o.length() - 1);
    }
    if (o.startsWith("http://") && o.endsWith(":80")) {
      o = o.substring(0, o.length() - 3);
    } else if (o.startsWith("https://") && o.endsWith(":443")) {
      o = o.substring(0, o.length() - 4);
    }
    return o;
  }
}
