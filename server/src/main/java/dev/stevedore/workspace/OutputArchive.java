package dev.stevedore.workspace;

import dev.stevedore.core.InvalidInputException;
import dev.stevedore.core.JobId;
import dev.stevedore.core.LogText;
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
import org.eclipse.microprofile.config.inject.ConfigProperty;

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

  /**
   * What an archive holds: how many files, and the files left out (their names escaped for
   * display), with why.
   */
  public record Archived(int files, List<String> skipped) {
    /** One sentence for the job's end reason, or null when nothing was left out. */
    public String note() {
      if (skipped.isEmpty()) {
        return null;
      }
      int shown = Math.min(skipped.size(), MAX_REPORTED);
      String names = String.join(", ", skipped.subList(0, shown));
      String more = skipped.size() > shown ? " and " + (skipped.size() - shown) + " more" : "";
      return (skipped.size() == 1 ? "output file skipped: " : "output files skipped: ")
          + names
          + more;
    }
  }

  /** The outputs exceed the configured cap: no archive is written. */
  public static final class OutputsTooLargeException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    OutputsTooLargeException(long cap) {
      super("outputs exceed the cap of " + cap + " bytes; no archive was written");
    }
  }

  /** How many skipped names a report lists. */
  static final int MAX_REPORTED = 10;

  /** Total size of a job's outputs; a bigger {@code out/} fails the job at archive time. */
  @Inject
  @ConfigProperty(name = "stevedore.outputs.max-bytes")
  long maxBytes;

  /**
   * Archives {@code out/} into {@code output.zip}. Entry names are normalized ({@code \} is a
   * separator too, {@code .} segments dropped); a name that would leave the archive's root ({@code
   * ..}, absolute, a drive letter), holds a control character or repeats another is left out and
   * reported. If the files together exceed {@code stevedore.outputs.max-bytes} nothing is written
   * and {@link OutputsTooLargeException} says so.
   */
  public Archived archive(JobId id) {
    Path out = workspaces.outDir(id);
    Path zip = workspaces.outputZip(id);
    Path partial = zip.resolveSibling("output.zip.partial");
    List<Path> files = new ArrayList<>();
    long[] total = {0};
    try {
      if (Files.isDirectory(out, LinkOption.NOFOLLOW_LINKS)) {
        Files.walkFileTree(
            out,
            new SimpleFileVisitor<>() {
              @Override
              public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) {
                if (attrs.isRegularFile()) { // not a link, a device or a pipe
                  files.add(file);
                  total[0] += attrs.size();
                }
                return FileVisitResult.CONTINUE;
              }
            });
      }
      if (total[0] > maxBytes) {
        throw new OutputsTooLargeException(maxBytes);
      }
      Collections.sort(files);
      List<String> skipped = new ArrayList<>();
      java.util.Set<String> names = new java.util.HashSet<>();
      int archived = 0;
      long copied = 0;
      try (ZipOutputStream zipOut = new ZipOutputStream(Files.newOutputStream(partial))) {
        for (Path file : files) {
          String raw = out.relativize(file).toString();
          String name = entryName(raw);
          if (name == null || !names.add(name)) {
            skipped.add(
                "'"
                    + LogText.escape(raw)
                    + (name == null ? "' (outside the archive)" : "' (same name as another)"));
            continue;
          }
          InputStream content;
          try {
            content = Files.newInputStream(file, LinkOption.NOFOLLOW_LINKS);
          } catch (IOException vanishedOrLink) {
            continue; // replaced by a link, or removed, since the walk: leave it out
          }
          try (content) { // a failed read or write fails the archive, never a half entry
            zipOut.putNextEntry(new ZipEntry(name));
            copied = copyAtMost(content, zipOut, copied);
            zipOut.closeEntry();
          }
          archived++;
        }
      } catch (OutputsTooLargeException grew) {
        Files.deleteIfExists(partial);
        throw grew;
      }
      Files.move(partial, zip, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
      return new Archived(archived, List.copyOf(skipped));
    } catch (IOException e) {
      try {
        Files.deleteIfExists(partial);
      } catch (IOException ignored) {
        // the next archive overwrites it
      }
      throw new UncheckedIOException("Cannot archive the outputs of job " + id, e);
    }
  }

  /** Copies a file, failing when the archive's contents pass the cap (a file grew since). */
  private long copyAtMost(InputStream content, OutputStream sink, long copied) throws IOException {
    byte[] buffer = new byte[64 * 1024];
    for (int n; (n = content.read(buffer)) > 0; ) {
      copied += n;
      if (copied > maxBytes) {
        throw new OutputsTooLargeException(maxBytes);
      }
      sink.write(buffer, 0, n);
    }
    return copied;
  }

  /**
   * The archive entry name of a file under {@code out/}, given its path relative to it, or null if
   * it must be left out: {@code /} and {@code \} both separate, empty and {@code .} segments are
   * dropped, and {@code ..}, a leading separator, a drive letter ({@code C:}) or a control
   * character anywhere refuse the name.
   */
  static String entryName(String relative) {
    if (relative.isEmpty() || relative.startsWith("/") || relative.startsWith("\\")) {
      return null;
    }
    List<String> segments = new ArrayList<>();
    for (String segment : relative.split("[/\\\\]")) {
      if (segment.isEmpty() || segment.equals(".")) {
        continue;
      }
      if (segment.equals("..")) {
        return null;
      }
      segments.add(segment);
    }
    if (segments.isEmpty() || segments.get(0).matches("[A-Za-z]:.*")) {
      return null;
    }
    String name = String.join("/", segments);
    for (int i = 0; i < name.length(); i++) {
      char c = name.charAt(i);
      if (Character.isISOControl(c) || c == '\u2028' || c == '\u2029') {
        return null;
      }
    }
    return name;
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
      throw InvalidInputException.forField(
          "path", "'" + path + "' is not a file of the job's outputs");
    }
  }
}
