package dev.stevedore.security;

import jakarta.enterprise.context.ApplicationScoped;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Short-lived, single-use tickets that let a WebSocket client connect without putting its API key
 * in a URL: a client asks the REST API for a ticket with its key, then opens the socket with {@code
 * ?ticket=}. A ticket carries the key's tenant and role and lasts a minute.
 */
@ApplicationScoped
public class Tickets {

  static final Duration LIFETIME = Duration.ofSeconds(60);
  private static final SecureRandom RANDOM = new SecureRandom();

  /** What a ticket stands for. */
  public record Access(String keyId, String tenantId, Role role, Instant expiresAt) {

    /** The tenant whose jobs it may see, or empty for an administrator: every tenant. */
    public Optional<String> tenantScope() {
      return role == Role.ADMIN ? Optional.empty() : Optional.of(tenantId);
    }
  }

  /** A ticket as the API answers it. */
  public record Ticket(String ticket, Instant expiresAt) {}

  private final Map<String, Access> open = new ConcurrentHashMap<>();
  private final Map<String, Access> admitted = new ConcurrentHashMap<>();

  public Ticket issue(Caller caller) {
    Instant now = Instant.now();
    open.values().removeIf(a -> a.expiresAt().isBefore(now));
    byte[] bytes = new byte[32];
    RANDOM.nextBytes(bytes);
    String ticket = Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    Access access =
        new Access(caller.keyId(), caller.tenantId(), caller.role(), now.plus(LIFETIME));
    open.put(ticket, access);
    return new Ticket(ticket, access.expiresAt());
  }

  /**
   * Uses the ticket up at the handshake: it admits one connection only. The access waits for that
   * connection's endpoint to {@link #claim} it.
   */
  public Optional<Access> redeem(String ticket) {
    Optional<Access> access =
        Optional.ofNullable(ticket == null ? null : open.remove(ticket))
            .filter(a -> a.expiresAt().isAfter(Instant.now()));
    access.ifPresent(a -> admitted.put(ticket, a));
    return access;
  }

  /** The access of a connection whose handshake redeemed the ticket. */
  public Optional<Access> claim(String ticket) {
    return Optional.ofNullable(ticket == null ? null : admitted.remove(ticket));
  }
}
