package dev.stevedore.pool;

import dev.stevedore.core.ConflictException;
import dev.stevedore.core.FieldError;
import dev.stevedore.core.InvalidInputException;
import dev.stevedore.core.NotFoundException;
import dev.stevedore.job.JobLimits;
import dev.stevedore.job.JobSpec;
import dev.stevedore.job.PoolPlacement;
import dev.stevedore.rest.Violations;
import dev.stevedore.security.Caller;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import jakarta.validation.Validator;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/** Defines warm pools, shows them with their containers' counts, and places jobs in them. */
@ApplicationScoped
@Transactional(dontRollbackOn = dev.stevedore.core.DomainException.class)
public class PoolService implements PoolPlacement {

  @Inject PoolRepository repository;
  @Inject WarmPools warm;
  @Inject JobLimits limits;
  @Inject Validator validator;
  @Inject Caller caller;
  @Inject Event<PoolDefined> defined;

  @Inject
  @ConfigProperty(name = "stevedore.pools.max-size")
  int maxSize;

  /** Every pool to an administrator; to anyone else, the pools their tenant may use. */
  public List<PoolView> list() {
    return repository.all().stream().filter(this::visible).map(this::view).toList();
  }

  public PoolView get(String name) {
    return view(repository.find(name).filter(this::visible).orElseThrow(() -> notFound(name)));
  }

  public PoolView create(PoolSpec spec) {
    PoolSpec effective = checked(spec);
    if (repository.find(effective.name()).isPresent()) {
      throw new ConflictException(
          "pool-exists", "The pool exists already", "A pool named " + effective.name() + " exists");
    }
    Pool pool = new Pool(effective.name(), PoolSpecJson.write(effective), Instant.now());
    repository.add(pool);
    defined.fire(new PoolDefined(pool.name()));
    return view(pool);
  }

  /** Replaces the definition: free containers of the old one are replaced, busy ones once free. */
  public PoolView replace(String name, PoolSpec spec) {
    PoolSpec effective = checked(spec);
    if (!effective.name().equals(name)) {
      throw InvalidInputException.forField("name", "must be the pool's name, " + name);
    }
    Pool pool = repository.find(name).orElseThrow(() -> notFound(name));
    pool.replace(PoolSpecJson.write(effective), Instant.now());
    defined.fire(new PoolDefined(name));
    return view(pool);
  }

  /**
   * Removes the pool: its free containers go at once, busy ones when their job ends. Queued jobs
   * that name it fail when they would start.
   */
  public void delete(String name) {
    Pool pool = repository.find(name).orElseThrow(() -> notFound(name));
    repository.remove(pool);
    defined.fire(new PoolDefined(name));
  }

  @Override
  public JobSpec placed(JobSpec spec, String tenant) {
    PoolSpec pool =
        repository
            .find(spec.pool())
            .map(Pool::spec)
            .filter(p -> p.allows(tenant))
            .orElseThrow(
                () ->
                    InvalidInputException.forField(
                        "pool", "there is no pool named '" + spec.pool() + "' for this tenant"));
    List<FieldError> errors = new ArrayList<>();
    if (spec.image() != null && !spec.image().isBlank() && !spec.image().equals(pool.image())) {
      errors.add(new FieldError("image", "must be the pool's image, " + pool.image()));
    }
    if (spec.resources() != null && !spec.resources().equals(pool.resources())) {
      errors.add(new FieldError("resources", "are the pool's in a pooled job: leave them out"));
    }
    if (spec.network() != null && !spec.network().equals(pool.network())) {
      errors.add(new FieldError("network", "is the pool's in a pooled job: leave it out"));
    }
    if (spec.command() == null || spec.command().isEmpty()) {
      errors.add(new FieldError("command", "is needed in a pooled job"));
    }
    if (!errors.isEmpty()) {
      throw InvalidInputException.of(errors);
    }
    return new JobSpec(
        spec.name(),
        pool.image(),
        spec.command(),
        spec.prompt(),
        spec.env(),
        spec.secrets(),
        pool.resources(),
        spec.timeoutSeconds(),
        spec.priority(),
        spec.retry(),
        pool.network(),
        spec.labels(),
        spec.callbacks(),
        spec.pool());
  }

  @Override
  public Optional<String> waitingFor(String pool, String tenant) {
    return warm.waitingFor(pool, tenant);
  }

  /**
   * The spec as stored: valid, its image, resources and network within the server's limits as a
   * job's are, and the defaults filled in.
   */
  PoolSpec checked(PoolSpec spec) {
    PoolSpec valid = Violations.check(validator, spec, "pool");
    JobSpec asJob =
        limits.apply(
            new JobSpec(
                null,
                valid.image(),
                null,
                null,
                null,
                null,
                valid.resources(),
                null,
                null,
                null,
                valid.network(),
                null,
                null,
                null));
    int size = valid.size() == null ? 1 : valid.size();
    if (size > maxSize) {
      throw InvalidInputException.forField(
          "size", "must be at most " + maxSize + " on this server");
    }
    boolean reusable = "tenant".equals(valid.reuse());
    return new PoolSpec(
        valid.name(),
        asJob.image(),
        asJob.resources(),
        asJob.network(),
        valid.env() == null ? Map.of() : new TreeMap<>(valid.env()),
        List.copyOf(valid.tenants()),
        size,
        valid.init() == null || valid.init().isEmpty() ? null : List.copyOf(valid.init()),
        Objects.requireNonNullElse(valid.initTimeoutSeconds(), 300),
        reusable ? "tenant" : "never",
        reusable ? Objects.requireNonNullElse(valid.maxUses(), 100) : 1,
        Objects.requireNonNullElse(valid.idleSeconds(), 3600),
        Objects.requireNonNullElse(valid.whenBusy(), "wait"));
  }

  private boolean visible(Pool pool) {
    return caller.isAdmin() || pool.spec().allows(caller.tenantId());
  }

  /** Other tenants' names are not shown to a tenant. */
  private PoolView view(Pool pool) {
    PoolSpec spec = pool.spec();
    if (!caller.isAdmin()) {
      spec =
          spec.withTenants(
              spec.tenants().contains("*") ? List.of("*") : List.of(caller.tenantId()));
    }
    return new PoolView(
        pool.name(),
        pool.revision(),
        spec,
        warm.status(pool.name()),
        pool.createdAt(),
        pool.updatedAt());
  }

  private static NotFoundException notFound(String name) {
    return new NotFoundException("pool", "No pool named " + name);
  }
}
