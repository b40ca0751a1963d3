package dev.stevedore.batch;

import dev.stevedore.job.JobId;
import dev.stevedore.rest.InvalidRequestException;
import dev.stevedore.rest.PayloadTooLargeException;
import dev.stevedore.workspace.Workspaces;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import java.util.zip.ZipOutputStream;

/**
 * A batch's files: the uploaded input of each item (under {@code batches/<id>/items/<index>/}) and
 * the combined output, one folder per item built from the items' own {@code output.zip}.
 */
@ApplicationScoped
public class BatchFiles {

  @Inject Workspaces workspaces;

  Path batchDir(String batchId) {
    return workspaces.dataDir().resolve("batches").resolve(batchId);
  }

  /**
   * Stores an item's input file; its name must be a plain file name, and no file may be larger than
   * {@code maxBytes} (a chunked request declares no size).
   */
  void saveInput(String batchId, int index, String name, InputStream content, long maxBytes) {
    Path target = inputPath(batchId, index, checkedName(name));
    try {
      Files.createDirectories(target.getParent());
      try (OutputStream out = Files.newOutputStream(target)) {
        byte[] buffer = new byte[64 * 1024];
        long written = 0;
        for (int n; (n = content.read(buffer)) > 0; ) {
          written += n;
          if (written > maxBytes) {
            throw new PayloadTooLargeException(
                "Item " + index + "'s file is larger than " + maxBytes + " bytes");
          }
          out.write(buffer, 0, n);
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot store an input of batch " + batchId, e);
    }
  }

  InputStream openInput(String batchId, int index, String name) {
    try {
      return Files.newInputStream(inputPath(batchId, index, checkedName(name)));
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot read an input of batch " + batchId, e);
    }
  }

  void deleteAll(String batchId) {
    Path dir = batchDir(batchId);
    if (!Files.exists(dir)) {
      return;
    }
    try (var paths = Files.walk(dir)) {
      for (Path p : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot delete the files of batch " + batchId, e);
    }
  }

  /**
   * Writes one zip of every item's outputs, each under {@code item-<index>/}. Items without a job
   * or whose job left no archive are left out; entry names are checked again on the way through.
   */
  void writeOutput(List<BatchItem> items, OutputStream out) throws IOException {
    try (ZipOutputStream zip = new ZipOutputStream(out)) {
      for (BatchItem item : items) {
        if (item.jobId() == null) {
          continue;
        }
        Path archive = workspaces.outputZip(new JobId(item.jobId()));
        if (!Files.isRegularFile(archive)) {
          continue;
        }
        String folder = "item-" + item.index() + "/";
        zip.putNextEntry(new ZipEntry(folder));
        zip.closeEntry();
        try (ZipInputStream in = new ZipInputStream(Files.newInputStream(archive))) {
          for (ZipEntry entry; (entry = in.getNextEntry()) != null; ) {
            if (!isPlainRelative(entry.getName())) {
              continue;
            }
            zip.putNextEntry(new ZipEntry(folder + entry.getName()));
            if (!entry.isDirectory()) {
              in.transferTo(zip);
            }
            zip.closeEntry();
          }
        }
      }
    }
  }

  static void closeQuietly(Closeable closeable) {
    if (closeable != null) {
      try {
        closeable.close();
      } catch (IOException e) {
        // nothing was written through it
      }
    }
  }

  private Path inputPath(String batchId, int index, String name) {
    return batchDir(batchId).resolve("items").resolve(Integer.toString(index)).resolve(name);
  }

  /** A file name with no directory part, nothing that could leave the item's folder. */
  static String checkedName(String name) {
    if (name == null
        || name.isBlank()
        || name.length() > 255
        || name.equals(".")
        || name.equals("..")
        || name.contains("/")
        || name.contains("\\")
        || name.indexOf('\0') >= 0) {
      throw InvalidRequestException.forField(
          "item",
          "'" + name + "' is not a plain file name (no directories, at most 255 characters)");
    }
    return name;
  }

  private static boolean isPlainRelative(String name) {
    if (name.isEmpty() || name.startsWith("/") || name.contains("\\") || name.indexOf('\0') >= 0) {
      return false;
    }
    for (String segment : name.split("/")) {
      if (segment.equals("..")) {
        return false;
      }
    }
    return true;
  }
}
