package dev.stevedore.security;

import dev.stevedore.core.Role;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.event.TransactionPhase;
import jakarta.inject.Inject;
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
 * ?ticket=}. A ticket carries the key's tenant and role and lasts a minute. Revoking the key
 * withdraws its tickets, and a ticket is only redeemed while its key is active.
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

  @Inject ApiKeyService keys;

  private final Map<String, Access> open = new ConcurrentHashMap<>();
  private final Map<String, Access> admitted = new ConcurrentHashMap<>();

  public Ticket issue(Caller caller) {
    Instant now = Instant.now();
    open.values().removeIf(a -> a.expiresAt().isBefore(now));
    admitted.values().removeIf(a -> a.expiresAt().isBefore(now)); // handshakes that never opened
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
            .filter(a -> a.expiresAt().isAfter(Instant.now()))
            .filter(a -> isActive(a.keyId()));
    access.ifPresent(a -> admitted.put(ticket, a));
    return access;
  }

  /**
   * The access of a client that authenticated its handshake with the key itself ({@code
   * Authorization: Bearer}) rather than a ticket: that of the key, while it is active.
   */
  public Optional<Access> forKey(String keyId) {
    return keys.byId(keyId)
        .filter(k -> k.revokedAt() == null)
        .map(k -> new Access(k.id(), k.tenant(), k.role(), Instant.now().plus(LIFETIME)));
  }

  private boolean isActive(String keyId) {
    return keys.byId(keyId).map(k -> k.revokedAt() == null).orElse(false);
  }

  /** A revoked key's tickets are void at once, whether redeemed or not. */
  void onRevoked(@Observes(during = TransactionPhase.AFTER_SUCCESS) KeyRevoked revoked) {
    open.values().removeIf(a -> a.keyId().equals(revoked.keyId()));
    admitted.values().removeIf(a -> a.keyId().equals(revoked.keyId()));
  }

  /** The access of a connection whose handshake redeemed the ticket. */
  public Optional<Access> claim(String ticket) {
    return Optional.ofNullable(ticket == null ? null : admitted.remove(ticket));
  }
}
