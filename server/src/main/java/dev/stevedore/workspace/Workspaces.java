package dev.stevedore.workspace;

import dev.stevedore.core.JobId;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFilePermissions;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * The data directory and each job's directory in it:
 *
 * <pre>
 * jobs/&lt;id&gt;/in/          inputs, mounted read-only at /workspace/in
 * jobs/&lt;id&gt;/out/         what the job writes, mounted at /workspace/out
 * jobs/&lt;id&gt;/output.zip   out/ archived when the job ends
 * jobs/&lt;id&gt;/logs/        one file per attempt
 * </pre>
 *
 * Paths are built from validated job ids only. Deleting never follows a link.
 */
@ApplicationScoped
public class Workspaces {

  /** Where the job's directories appear inside its container. */
  public static final String CONTAINER_IN = "/workspace/in";

  public static final String CONTAINER_OUT = "/workspace/out";

  /** A sandbox's workspace: in a pool's container, in/ and out/ lie within it. */
  public static final String CONTAINER_WORKSPACE = "/workspace";

  @Inject
  @ConfigProperty(name = "stevedore.data.dir")
  String dataDir;

  public Path dataDir() {
    return Path.of(dataDir).toAbsolutePath().normalize();
  }

  public Path jobsDir() {
    return dataDir().resolve("jobs");
  }

  public Path jobDir(JobId id) {
    return jobsDir().resolve(id.value());
  }

  public Path inDir(JobId id) {
    return jobDir(id).resolve("in");
  }

  public Path outDir(JobId id) {
    return jobDir(id).resolve("out");
  }

  public Path outputZip(JobId id) {
    return jobDir(id).resolve("output.zip");
  }

  public Path logsDir(JobId id) {
    return jobDir(id).resolve("logs");
  }

  /** Creates the data directory if needed and fails early if it cannot be written. */
  public void prepare() {
    try {
      Files.createDirectories(jobsDir());
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot create the data directory " + dataDir(), e);
    }
    if (!Files.isWritable(dataDir())) {
      throw new IllegalStateException("The data directory " + dataDir() + " is not writable");
    }
  }

  /** Creates the job's input directory, readable by the container's unprivileged user. */
  public Path createInputDir(JobId id) {
    try {
      Files.createDirectories(jobDir(id));
      Path in = Files.createDirectories(inDir(id));
      Files.setPosixFilePermissions(in, PosixFilePermissions.fromString("rwxr-xr-x"));
      return in;
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot create the input directory of job " + id, e);
    }
  }

  /**
   * Readies the job's directories for a new attempt: inputs present, and an empty output directory
   * that the container's unprivileged user can write.
   */
  public void prepareAttempt(JobId id) {
    try {
      if (!Files.isDirectory(inDir(id))) {
        createInputDir(id);
      }
      deleteTree(outDir(id));
      Files.deleteIfExists(outputZip(id));
      Path out = Files.createDirectories(outDir(id));
      Files.setPosixFilePermissions(out, PosixFilePermissions.fromString("rwxrwxrwx"));
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot prepare the directories of job " + id, e);
    }
  }

  /** Deletes everything of the job on disk. */
  public void deleteJobFiles(JobId id) {
    try {
      deleteTree(jobDir(id));
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot delete the files of job " + id, e);
    }
  }

  /** Deletes a tree without following links: a link is removed, never its target. */
  public static void deleteTree(Path root) throws IOException {
    if (!Files.exists(root, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
      return;
    }
    Files.walkFileTree(
        root,
        new SimpleFileVisitor<>() {
          @Override
          public FileVisitResult visitFile(Path file, BasicFileAttributes attrs)
              throws IOException {
            Files.deleteIfExists(file);
            return FileVisitResult.CONTINUE;
          }

          @Override
          public FileVisitResult postVisitDirectory(Path dir, IOException failure)
              throws IOException {
            if (failure != null && !(failure instanceof NoSuchFileException)) {
              throw failure;
            }
            Files.deleteIfExists(dir);
            return FileVisitResult.CONTINUE;
          }
        });
  }
}
