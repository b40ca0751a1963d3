package dev.stevedore.security;

import dev.stevedore.core.LimitExceededException;
import jakarta.annotation.Priority;
import jakarta.inject.Inject;
import jakarta.ws.rs.Priorities;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerRequestFilter;
import jakarta.ws.rs.core.SecurityContext;
import jakarta.ws.rs.ext.Provider;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Limits each key's request rate with a token bucket: {@code burst} requests at once, refilled at
 * {@code per-second}. Past it, 429 with the seconds until a token is back.
 */
@Provider
@Priority(Priorities.AUTHORIZATION + 10)
public class RateLimitFilter implements ContainerRequestFilter {

  @Inject
  @ConfigProperty(name = "stevedore.rate-limit.per-second")
  double perSecond;

  @Inject
  @ConfigProperty(name = "stevedore.rate-limit.burst")
  double burst;

  private final Map<String, TokenBucket> buckets = new ConcurrentHashMap<>();

  @Override
  public void filter(ContainerRequestContext request) {
    SecurityContext security = request.getSecurityContext();
    if (security == null || security.getUserPrincipal() == null) {
      return;
    }
    TokenBucket bucket =
        buckets.computeIfAbsent(
            security.getUserPrincipal().getName(), k -> new TokenBucket(burst, perSecond));
    double wait = bucket.take(System.nanoTime());
    if (wait > 0) {
      throw new LimitExceededException(
          "This key sends more than " + perSecond + " requests per second", (long) Math.ceil(wait));
    }
  }
}
