package dev.stevedore.security;

import dev.stevedore.core.Role;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Optional;
import java.util.logging.Logger;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Makes sure an administrator can get in at the first start: with no active key in the database,
 * the key from {@code stevedore.admin.key} is stored (as its hash), or a new one is made and
 * written once to {@code admin-key} in the data directory, readable by its owner only. The key
 * itself is never written to the server's log.
 */
@ApplicationScoped
public class AdminKeyBootstrap {

  private static final Logger LOG = Logger.getLogger(AdminKeyBootstrap.class.getName());
  static final String FILE = "admin-key";

  @Inject ApiKeyService keys;

  @Inject
  @ConfigProperty(name = "stevedore.admin.key")
  Optional<String> configuredKey;

  /** Ensures an administrator key exists; {@code dataDir} receives a generated one. */
  public void ensureAdminKey(Path dataDir) {
    Optional<String> configured = configuredKey.map(String::trim).filter(k -> !k.isEmpty());
    if (configured.isPresent()) {
      if (keys.authenticate(configured.get()).isEmpty()) {
        keys.store(
            "administrator (from configuration)", Role.ADMIN, Tenant.DEFAULT, configured.get());
        LOG.info("Stored the administrator key from configuration (stevedore.admin.key)");
      }
      return;
    }
    if (keys.anyActive()) {
      return;
    }
    String secret = KeySecrets.generate();
    Path file = dataDir.resolve(FILE);
    try {
      Files.deleteIfExists(file);
      Files.createFile(
          file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
      Files.writeString(file, secret + "\n", StandardCharsets.UTF_8, StandardOpenOption.WRITE);
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot write the administrator key to " + file, e);
    }
    keys.store("administrator (first start)", Role.ADMIN, Tenant.DEFAULT, secret);
    LOG.info(
        "No API key existed: an administrator key was written to "
            + file
            + " (readable by its owner only)");
  }
}
