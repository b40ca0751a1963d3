package dev.stevedore.security;

import dev.stevedore.core.DomainException;
import dev.stevedore.core.Ids;
import dev.stevedore.core.InvalidInputException;
import dev.stevedore.core.NotFoundException;
import dev.stevedore.core.Role;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * API keys: made with a random secret that is shown once, stored as its hash, looked up by it,
 * revoked. Lookups are cached briefly, so authentication does not cost a query per request; a
 * revocation on this node takes effect at once (also on the key's open WebSocket streams and
 * tickets, through {@link KeyRevoked}), on other nodes within the cache time.
 *
 * <p>Making, listing and revoking a key are use cases, one transaction each; a refusal (a {@link
 * DomainException}) is made before anything is written and is an answer, not a fault. The lookups
 * that authentication makes read without a transaction of their own.
 */
@ApplicationScoped
public class ApiKeyService {

  private static final long CACHE_MILLIS = 10_000;

  @Inject ApiKeyRepository repository;

  @Inject TenantRepository tenants;
  @Inject Event<KeyRevoked> revocations;

  // Only keys that were found are kept: caching misses would let anyone grow the map at will.
  private final Map<String, Cached> byHash = new ConcurrentHashMap<>();
  private final Map<String, Cached> activeById = new ConcurrentHashMap<>();

  private record Cached(Optional<ApiKeyView> key, long until) {}

  /** The active key with this secret, if any. */
  public Optional<ApiKeyView> authenticate(String presented) {
    String hash = KeySecrets.hash(presented);
    Cached cached = byHash.get(hash);
    if (cached != null && cached.until() > System.currentTimeMillis()) {
      return cached.key();
    }
    Optional<ApiKeyView> found =
        repository.activeByHash(hash).stream()
            .filter(k -> KeySecrets.sameHash(k.secretHash(), hash))
            .findFirst()
            .map(k -> view(k, null));
    if (found.isPresent()) {
      Cached hit = new Cached(found, System.currentTimeMillis() + CACHE_MILLIS);
      byHash.put(hash, hit);
      activeById.put(found.get().id(), hit);
    } else {
      byHash.remove(hash);
    }
    return found;
  }

  /** A key by its id (the caller's principal name), revoked or not. */
  public Optional<ApiKeyView> byId(String id) {
    Cached cached = activeById.get(id); // the request's own key, just authenticated
    if (cached != null && cached.until() > System.currentTimeMillis()) {
      return cached.key();
    }
    return repository.find(id).map(k -> view(k, null));
  }

  /** Makes a key; the answer holds the secret, which is not stored and cannot be shown again. */
  @Transactional(dontRollbackOn = DomainException.class)
  public ApiKeyView create(String name, Role role, String tenantId) {
    if (name == null || name.isBlank() || name.length() > 200) {
      throw InvalidInputException.forField("name", "must be 1 to 200 characters");
    }
    if (role == null) {
      throw InvalidInputException.forField("role", "must be admin, operator, submitter or viewer");
    }
    String tenant = tenantId == null ? Tenant.DEFAULT : tenantId;
    if (tenants.find(tenant).isEmpty()) {
      throw InvalidInputException.forField("tenant", "no tenant '" + tenant + "'");
    }
    return store(name.trim(), role, tenant, KeySecrets.generate());
  }

  /**
   * Stores a key whose secret the caller chose (the administrator key from configuration, at
   * start-up), in the caller's transaction or in one of its own.
   */
  @Transactional
  ApiKeyView store(String name, Role role, String tenant, String secret) {
    ApiKey key =
        new ApiKey(
            Ids.next(),
            tenant,
            name,
            role,
            KeySecrets.hash(secret),
            KeySecrets.shownPrefix(secret));
    repository.insert(key);
    return view(key, secret);
  }

  @Transactional(dontRollbackOn = DomainException.class)
  public List<ApiKeyView> list() {
    return repository.list().stream().map(k -> view(k, null)).toList();
  }

  @Transactional(dontRollbackOn = DomainException.class)
  public ApiKeyView revoke(String id) {
    ApiKey key = repository.find(id).orElseThrow(() -> keyNotFound(id));
    key.revoke();
    byHash.remove(key.secretHash());
    activeById.remove(id);
    revocations.fire(new KeyRevoked(id)); // observed once the revocation is committed
    return view(key, null);
  }

  /** Whether any key may still be used: at first start there is none. */
  public boolean anyActive() {
    return repository.anyActive();
  }

  private static NotFoundException keyNotFound(String id) {
    return new NotFoundException("key", "There is no API key with id " + id);
  }

  private static ApiKeyView view(ApiKey key, String secret) {
    return new ApiKeyView(
        key.id(),
        key.name(),
        key.tenantId(),
        key.role(),
        key.prefix(),
        key.createdAt(),
        key.revokedAt(),
        secret);
  }
}
