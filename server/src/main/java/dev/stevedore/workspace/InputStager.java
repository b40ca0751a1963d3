package dev.stevedore.workspace;

import dev.stevedore.core.InputTooLargeException;
import dev.stevedore.core.InvalidInputException;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Collections;
import java.util.List;
import org.apache.commons.compress.archivers.zip.ZipArchiveEntry;
import org.apache.commons.compress.archivers.zip.ZipFile;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Writes a submission's inputs into the job's {@code in/} directory: uploaded files, the entries of
 * an uploaded zip, and the prompt. Every name is checked before anything is written: no absolute
 * path, no {@code ..}, no link, nothing outside the directory. Upload size, file count and unpacked
 * size are capped by configuration. On any refusal the caller deletes the job's directory, so a
 * refused submission leaves nothing behind.
 */
@ApplicationScoped
public class InputStager {

  public static final String PROMPT_FILE = "prompt.txt";

  private static final int S_IFMT = 0170000;
  private static final int S_IFREG = 0100000;
  private static final int S_IFDIR = 0040000;

  @Inject
  @ConfigProperty(name = "stevedore.uploads.max-bytes")
  long maxUploadBytes;

  @Inject
  @ConfigProperty(name = "stevedore.uploads.max-files")
  int maxFiles;

  @Inject
  @ConfigProperty(name = "stevedore.uploads.max-unpacked-bytes")
  long maxUnpackedBytes;

  /** One uploaded file: the name it should have under {@code in/}, and its bytes. */
  public record Upload(String name, InputStream content) {}

  /** The most bytes a request may carry. */
  public long maxUploadBytes() {
    return maxUploadBytes;
  }

  /** Refuses a request whose declared size is above the limit, before any of it is read. */
  public void checkDeclaredSize(Long contentLength) {
    if (contentLength != null && contentLength > maxUploadBytes) {
      throw new InputTooLargeException(
          "The request has "
              + contentLength
              + " bytes; this server accepts at most "
              + maxUploadBytes);
    }
  }

  /** Writes the files, the zip's entries (if any) and the prompt (if any) into {@code in}. */
  public void stage(Path in, List<Upload> files, InputStream zip, String prompt) {
    Budget budget = new Budget();
    try {
      for (Upload file : files) {
        Path target = resolveInside(in, file.name());
        budget.addFile(file.name());
        // Bounded while it is written: a chunked request declares no size.
        boolean uploadBinds =
            maxUploadBytes - budget.uploaded <= maxUnpackedBytes - budget.unpacked;
        long written =
            write(
                in,
                target,
                file.content(),
                Math.min(maxUploadBytes - budget.uploaded, maxUnpackedBytes - budget.unpacked),
                uploadBinds ? this::uploadTooLarge : this::unpackedTooLarge);
        budget.uploaded += written;
        budget.unpacked += written;
      }
      if (zip != null) {
        unzip(in, zip, budget);
      }
      if (prompt != null) {
        Path target = in.resolve(PROMPT_FILE);
        if (Files.exists(target)) {
          throw InvalidInputException.forField(
              "prompt", "an input file is named " + PROMPT_FILE + "; it would hide the prompt");
        }
        budget.unpacked +=
            write(
                in,
                target,
                new ByteArrayInputStream(prompt.getBytes(StandardCharsets.UTF_8)),
                maxUnpackedBytes - budget.unpacked,
                this::unpackedTooLarge);
      }
    } catch (java.nio.file.FileAlreadyExistsException | java.nio.file.NotDirectoryException e) {
      throw InvalidInputException.forField("files", "two inputs claim the same path");
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot write the inputs", e);
    }
  }

  private void unzip(Path in, InputStream upload, Budget budget) throws IOException {
    Path archive = Files.createTempFile(in.getParent(), "upload", ".zip");
    try {
      try (OutputStream out = Files.newOutputStream(archive)) {
        budget.uploaded +=
            copy(upload, out, maxUploadBytes - budget.uploaded, this::uploadTooLarge);
      }
      try (ZipFile zip = ZipFile.builder().setPath(archive).get()) {
        List<ZipArchiveEntry> entries = Collections.list(zip.getEntries());
        for (ZipArchiveEntry entry : entries) {
          check(in, entry);
          budget.addFile(entry.getName());
        }
        for (ZipArchiveEntry entry : entries) {
          Path target = resolveInside(in, entry.getName());
          if (entry.isDirectory()) {
            createDirectories(in, target);
          } else {
            try (InputStream content = zip.getInputStream(entry)) {
              budget.unpacked +=
                  write(
                      in,
                      target,
                      content,
                      maxUnpackedBytes - budget.unpacked,
                      this::unpackedTooLarge);
            }
          }
        }
      } catch (IOException notAZip) {
        if (notAZip instanceof java.util.zip.ZipException
            || String.valueOf(notAZip.getMessage()).contains("central directory")) {
          throw InvalidInputException.forField("zip", "not a readable zip archive");
        }
        throw notAZip;
      }
    } finally {
      Files.deleteIfExists(archive);
    }
  }

  /** Refuses links and special files; names are checked by {@link #resolveInside}. */
  private static void check(Path in, ZipArchiveEntry entry) {
    resolveInside(in, entry.getName());
    int type = entry.getUnixMode() & S_IFMT;
    if (entry.isUnixSymlink()
        || (entry.getPlatform() == ZipArchiveEntry.PLATFORM_UNIX
            && type != 0
            && type != S_IFREG
            && type != S_IFDIR)) {
      throw InvalidInputException.forField(
          "zip", "entry '" + entry.getName() + "' is a link or a special file");
    }
  }

  /**
   * The path a relative name stands for under {@code root}; anything that could land elsewhere is
   * refused.
   */
  static Path resolveInside(Path root, String name) {
    String why = null;
    if (name == null || name.isBlank()) {
      why = "has no name";
    } else if (name.startsWith("/") || name.contains("\\") || name.matches("^[A-Za-z]:.*")) {
      why = "is an absolute path";
    } else if (name.indexOf('\0') >= 0) {
      why = "holds a NUL character";
    } else {
      for (String segment : name.split("/")) {
        if (segment.equals("..")) {
          why = "leaves its directory";
          break;
        }
      }
    }
    Path target = why == null ? root.resolve(name).normalize() : null;
    if (why == null && (!target.startsWith(root) || target.equals(root))) {
      why = "leaves its directory";
    }
    if (why != null) {
      throw InvalidInputException.forField("files", "'" + name + "' " + why);
    }
    return target;
  }

  private static void createDirectories(Path root, Path dir) throws IOException {
    Files.createDirectories(dir);
    for (Path d = dir; d != null && d.startsWith(root) && !d.equals(root); d = d.getParent()) {
      Files.setPosixFilePermissions(d, PosixFilePermissions.fromString("rwxr-xr-x"));
    }
  }

  /** Writes one new file of at most {@code limit} bytes; returns its size. */
  private long write(
      Path root,
      Path target,
      InputStream content,
      long limit,
      java.util.function.Supplier<RuntimeException> overflow)
      throws IOException {
    createDirectories(root, target.getParent());
    if (Files.exists(target, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
      throw InvalidInputException.forField(
          "files", "'" + target.getFileName() + "' is given twice");
    }
    long written;
    try (OutputStream out = Files.newOutputStream(target, StandardOpenOption.CREATE_NEW)) {
      written = copy(content, out, limit, overflow);
    }
    Files.setPosixFilePermissions(target, PosixFilePermissions.fromString("rw-r--r--"));
    return written;
  }

  private RuntimeException uploadTooLarge() {
    return tooLarge("the upload is larger than " + maxUploadBytes + " bytes");
  }

  private RuntimeException unpackedTooLarge() {
    return tooLarge("the inputs unpack to more than " + maxUnpackedBytes + " bytes");
  }

  /** Copies at most {@code limit} bytes; more is refused with {@code overflow}. */
  public static long copy(
      InputStream in,
      OutputStream out,
      long limit,
      java.util.function.Supplier<RuntimeException> overflow)
      throws IOException {
    byte[] buffer = new byte[64 * 1024];
    long total = 0;
    for (int n; (n = in.read(buffer)) > 0; ) {
      total += n;
      if (total > limit) {
        throw overflow.get();
      }
      out.write(buffer, 0, n);
    }
    return total;
  }

  static InputTooLargeException tooLarge(String why) {
    return new InputTooLargeException("The inputs were refused: " + why);
  }

  /** What a submission has used of its allowance. */
  private final class Budget {
    int files;
    long unpacked;
    long uploaded;

    void addFile(String name) {
      if (++files > maxFiles) {
        throw InvalidInputException.forField(
            "files", "more than " + maxFiles + " input files (at '" + name + "')");
      }
    }
  }
}
