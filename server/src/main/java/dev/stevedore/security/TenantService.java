package dev.stevedore.security;

import dev.stevedore.core.ConflictException;
import dev.stevedore.core.DomainException;
import dev.stevedore.core.InvalidInputException;
import dev.stevedore.core.NotFoundException;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Tenants and their quotas: most jobs running and most jobs queued at once. Each use case is one
 * transaction; a refusal (a {@link DomainException}) is an answer, not a fault: it neither dooms
 * the transaction nor records a server incident, and is made before anything is written. The quota
 * lookups join their caller's transaction, if any.
 */
@ApplicationScoped
public class TenantService {

  private static final Pattern ID = Pattern.compile("[a-z0-9][a-z0-9-]{0,62}");

  @Inject TenantRepository repository;

  @Inject
  @ConfigProperty(name = "stevedore.tenants.default-max-running")
  int defaultMaxRunning;

  @Inject
  @ConfigProperty(name = "stevedore.tenants.default-max-queued")
  int defaultMaxQueued;

  @Transactional(dontRollbackOn = DomainException.class)
  public TenantView create(TenantRequest request) {
    if (request == null || request.id() == null || !ID.matcher(request.id()).matches()) {
      throw InvalidInputException.forField("id", "must be 1-63 lower-case letters, digits or '-'");
    }
    if (repository.find(request.id()).isPresent()) {
      throw new ConflictException(
          "tenant-exists", "The tenant exists", "Tenant " + request.id() + " exists already");
    }
    checkQuotas(request);
    Tenant tenant =
        new Tenant(request.id(), nameOf(request), request.maxRunning(), request.maxQueued());
    repository.insert(tenant);
    return view(tenant);
  }

  @Transactional(dontRollbackOn = DomainException.class)
  public TenantView update(String id, TenantRequest request) {
    Tenant tenant = find(id);
    checkQuotas(request);
    tenant.update(
        request.name() == null ? tenant.name() : request.name(),
        request.maxRunning(),
        request.maxQueued());
    return view(tenant);
  }

  @Transactional(dontRollbackOn = DomainException.class)
  public List<TenantView> list() {
    return repository.list().stream().map(this::view).toList();
  }

  @Transactional(dontRollbackOn = DomainException.class)
  public TenantView get(String id) {
    return view(find(id));
  }

  /** Most jobs of the tenant that may run at once. */
  public int maxRunning(String tenantId) {
    return repository
        .find(tenantId)
        .map(Tenant::maxRunning)
        .orElse(defaultMaxRunning); // no such tenant, or no quota of its own
  }

  /** Most jobs of the tenant that may wait at once. */
  public int maxQueued(String tenantId) {
    return repository.find(tenantId).map(Tenant::maxQueued).orElse(defaultMaxQueued);
  }

  /** A tenant's quotas in force: most jobs running and most jobs queued at once. */
  public record Quotas(int maxRunning, int maxQueued) {}

  /**
   * Locks the tenant's row until the caller's transaction ends (there must be one) and returns its
   * quotas. Whoever counts a tenant's jobs to decide on one more (a submission, a claim) holds this
   * lock from the count to the write, so that two such decisions never both see room for one job.
   */
  public Quotas lockQuotas(String tenantId) {
    Tenant tenant = repository.lock(tenantId).orElse(null);
    if (tenant == null) {
      // Every key belongs to a stored tenant and the schema stores 'default': not reached.
      return new Quotas(defaultMaxRunning, defaultMaxQueued);
    }
    return new Quotas(
        tenant.maxRunning() == null ? defaultMaxRunning : tenant.maxRunning(),
        tenant.maxQueued() == null ? defaultMaxQueued : tenant.maxQueued());
  }

  /** The running quota of every tenant, in one read; tenants not listed have the default. */
  public Map<String, Integer> maxRunningByTenant() {
    Map<String, Integer> quotas = new HashMap<>();
    repository
        .runningQuotas()
        .forEach(
            row ->
                quotas.put((String) row[0], row[1] == null ? defaultMaxRunning : (Integer) row[1]));
    return quotas;
  }

  /** The running quota of a tenant that has no row of its own. */
  public int defaultMaxRunning() {
    return defaultMaxRunning;
  }

  private Tenant find(String id) {
    return repository
        .find(id)
        .orElseThrow(() -> new NotFoundException("tenant", "There is no tenant " + id));
  }

  private TenantView view(Tenant tenant) {
    return new TenantView(
        tenant.id(),
        tenant.name(),
        tenant.maxRunning() == null ? defaultMaxRunning : tenant.maxRunning(),
        tenant.maxQueued() == null ? defaultMaxQueued : tenant.maxQueued(),
        tenant.createdAt());
  }

  private static String nameOf(TenantRequest request) {
    return request.name() == null || request.name().isBlank()
        ? request.id()
        : request.name().trim();
  }

  private static void checkQuotas(TenantRequest request) {
    if (request.maxRunning() != null && request.maxRunning() < 0) {
      throw InvalidInputException.forField("maxRunning", "must not be negative");
    }
    if (request.maxQueued() != null && request.maxQueued() < 0) {
      throw InvalidInputException.forField("maxQueued", "must not be negative");
    }
  }
}
