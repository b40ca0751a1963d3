package dev.stevedore.workspace;

import dev.stevedore.job.JobId;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * The data directory and each job's directory inside it ({@code jobs/<id>/logs}, and later
 * {@code in/}, {@code out/}). Paths are built from validated job ids only.
 */
@ApplicationScoped
public class Workspaces {

  @Inject
  @ConfigProperty(name = "stevedore.data.dir", defaultValue = "data")
  String dataDir;

  public Path dataDir() {
    return Path.of(dataDir).toAbsolutePath().normalize();
  }

  public Path jobDir(JobId id) {
    return dataDir().resolve("jobs").resolve(id.value());
  }

  public Path logsDir(JobId id) {
    return jobDir(id).resolve("logs");
  }

  /** Creates the data directory if needed and fails early if it cannot be written. */
  public void prepare() {
    try {
      Files.createDirectories(dataDir().resolve("jobs"));
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot create the data directory " + dataDir(), e);
    }
    if (!Files.isWritable(dataDir())) {
      throw new IllegalStateException("The data directory " + dataDir() + " is not writable");
    }
  }
}
