package dev.stevedore.runtime;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.Optional;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * The sandbox every job container gets. Only this configuration can relax it; nothing in a job spec
 * can.
 */
@ApplicationScoped
public class SandboxPolicy {

  @Inject
  @ConfigProperty(name = "stevedore.sandbox.drop-all-capabilities")
  boolean dropAllCapabilities;

  @Inject
  @ConfigProperty(name = "stevedore.sandbox.no-new-privileges")
  boolean noNewPrivileges;

  @Inject
  @ConfigProperty(name = "stevedore.sandbox.read-only-root")
  boolean readOnlyRoot;

  @Inject
  @ConfigProperty(name = "stevedore.sandbox.tmp-size-mb")
  long tmpSizeMb;

  @Inject
  @ConfigProperty(name = "stevedore.sandbox.user")
  String user;

  @Inject
  @ConfigProperty(name = "stevedore.sandbox.nofile")
  long nofile;

  @Inject
  @ConfigProperty(name = "stevedore.sandbox.nproc")
  long nproc;

  @Inject
  @ConfigProperty(name = "stevedore.sandbox.runtime")
  Optional<String> runtime;

  public Sandbox sandbox() {
    return new Sandbox(
        dropAllCapabilities,
        noNewPrivileges,
        readOnlyRoot,
        tmpSizeMb * 1024 * 1024,
        user,
        nofile,
        nproc,
        configuredRuntime().orElse(null));
  }

  /** The OCI runtime asked for, if any: the engine must offer it. */
  public Optional<String> configuredRuntime() {
    return runtime.map(String::trim).filter(r -> !r.isEmpty());
  }

  /**
   * Refuses to go on if a runtime is configured that the engine does not offer (or the engine
   * cannot be asked): jobs must never run less confined than the administrator asked.
   *
   * @param engine what the engine said of itself, or null if it did not answer
   */
  public void verify(EngineInfo engine) {
    configuredRuntime()
        .ifPresent(
            wanted -> {
              if (engine == null) {
                throw new IllegalStateException(
                    "stevedore.sandbox.runtime is "
                        + wanted
                        + " but the Docker engine cannot be asked whether it offers it");
              }
              if (!engine.runtimes().contains(wanted)) {
                throw new IllegalStateException(
                    "stevedore.sandbox.runtime is "
                        + wanted
                        + " but the Docker engine offers only "
                        + engine.runtimes());
              }
            });
  }
}
