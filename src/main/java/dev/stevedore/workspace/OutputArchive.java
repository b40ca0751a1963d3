package dev.stevedore.workspace;

import dev.stevedore.job.JobId;
import dev.stevedore.rest.InvalidParameterException;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import java.util.zip.ZipOutputStream;

/**
 * A job's outputs: what it wrote under {@code /workspace/out}, archived as {@code output.zip} when
 * it ends. Links are never followed, so a job cannot bring host files into its archive; single
 * files are served from the archive by exact entry name, never from a path on disk.
 */
@ApplicationScoped
public class OutputArchive {

  @Inject Workspaces workspaces;

  /** One file of the archive. */
  public record OutputFile(String path, long size) {}

  /** Archives {@code out/} into {@code output.zip}; returns how many files it holds. */
  public int archive(JobId id) {
    Path out = workspaces.outDir(id);
    Path zip = workspaces.outputZip(id);
    Path partial = zip.resolveSibling("output.zip.partial");
    List<Path> files = new ArrayList<>();
    try {
      if (Files.isDirectory(out, LinkOption.NOFOLLOW_LINKS)) {
        Files.walkFileTree(
            out,
            new SimpleFileVisitor<>() {
              @Override
              public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) {
                if (attrs.isRegularFile()) { // not a link, a device or a pipe
                  files.add(file);
                }
                return FileVisitResult.CONTINUE;
              }
            });
      }
      Collections.sort(files);
      try (ZipOutputStream zipOut = new ZipOutputStream(Files.newOutputStream(partial))) {
        for (Path file : files) {
          String name = out.relativize(file).toString().replace('\\', '/');
          InputStream content;
          try {
            content = Files.newInputStream(file, LinkOption.NOFOLLOW_LINKS);
          } catch (IOException vanishedOrLink) {
            continue; // replaced by a link, or removed, since the walk: leave it out
          }
          try (content) { // a failed read or write fails the archive, never a half entry
            zipOut.putNextEntry(new ZipEntry(name));
            content.transferTo(zipOut);
            zipOut.closeEntry();
          }
        }
      }
      Files.move(partial, zip, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
      return files.size();
    } catch (IOException e) {
      try {
        Files.deleteIfExists(partial);
      } catch (IOException ignored) {
        // the next archive overwrites it
      }
      throw new UncheckedIOException("Cannot archive the outputs of job " + id, e);
    }
  }

  public boolean exists(JobId id) {
    return Files.isRegularFile(workspaces.outputZip(id));
  }

  public Path zip(JobId id) {
    return workspaces.outputZip(id);
  }

  /** The archive's files with their sizes, or empty if the job has no archive. */
  public Optional<List<OutputFile>> list(JobId id) {
    if (!exists(id)) {
      return Optional.empty();
    }
    try (ZipFile zip = new ZipFile(zip(id).toFile())) {
      return Optional.of(
          zip.stream()
              .filter(e -> !e.isDirectory())
              .map(e -> new OutputFile(e.getName(), e.getSize()))
              .toList());
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot read the outputs of job " + id, e);
    }
  }

  /** Whether the archive has this file; a path with {@code ..} or a leading slash is a 400. */
  public boolean has(JobId id, String path) {
    checkPath(path);
    if (!exists(id)) {
      return false;
    }
    try (ZipFile zip = new ZipFile(zip(id).toFile())) {
      ZipEntry entry = zip.getEntry(path);
      return entry != null && !entry.isDirectory();
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot read the outputs of job " + id, e);
    }
  }

  /** Writes one file of the archive to {@code sink}. */
  public void copy(JobId id, String path, OutputStream sink) throws IOException {
    try (ZipFile zip = new ZipFile(zip(id).toFile());
        InputStream content = zip.getInputStream(zip.getEntry(path))) {
      content.transferTo(sink);
    }
  }

  private static void checkPath(String path) {
    boolean bad =
        path.isEmpty() || path.startsWith("/") || path.contains("\\") || path.indexOf('\0') >= 0;
    for (String segment : path.split("/")) {
      bad |= segment.equals("..") || segment.equals(".");
    }
    if (bad) {
      throw new InvalidParameterException(
          "path", "'" + path + "' is not a file of the job's outputs");
    }
  }
}
