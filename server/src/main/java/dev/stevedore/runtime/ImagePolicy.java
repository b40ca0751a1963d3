package dev.stevedore.runtime;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Which images a job may name. Pulling makes the engine connect to the image's registry, so a job
 * free to name any host could make the engine reach addresses the server's users cannot (a loopback
 * service, a private network). Docker Hub names are allowed; any other registry only when
 * configured by {@code stevedore.images.allowed-registries} (host or host:port, exactly as in the
 * image name). The rule is the same at submission and before a pull.
 */
@ApplicationScoped
public class ImagePolicy {

  @Inject
  @ConfigProperty(name = "stevedore.images.allowed-registries")
  Optional<List<String>> allowedRegistries;

  private Set<String> allowed;

  ImagePolicy() {}

  /** For tests: a policy allowing these registries besides Docker Hub. */
  public ImagePolicy(List<String> registries) {
    this.allowedRegistries = Optional.of(registries);
  }

  /** Why a job may not name this image, or empty if it may. */
  public Optional<String> refusal(String image) {
    ImageName name;
    try {
      name = ImageName.parse(image);
    } catch (IllegalArgumentException e) {
      return Optional.of("is not a valid image reference: " + e.getMessage());
    }
    String registry = name.registryHost();
    if (registry == null || allowed().contains(registry)) {
      return Optional.empty();
    }
    return Optional.of(
        "names registry '"
            + registry
            + "', which this server does not allow (stevedore.images.allowed-registries)");
  }

  private synchronized Set<String> allowed() {
    if (allowed == null) {
      allowed =
          allowedRegistries.orElse(List.of()).stream()
              .map(String::trim)
              .filter(s -> !s.isEmpty())
              .map(s -> s.toLowerCase(Locale.ROOT))
              .collect(Collectors.toUnmodifiableSet());
    }
    return allowed;
  }
}
