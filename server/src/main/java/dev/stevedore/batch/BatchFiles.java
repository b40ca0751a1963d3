package dev.stevedore.batch;

import dev.stevedore.core.InputTooLargeException;
import dev.stevedore.core.InvalidInputException;
import dev.stevedore.core.JobId;
import dev.stevedore.workspace.InputStager;
import dev.stevedore.workspace.Workspaces;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
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
   * Stores an item's input file and returns its size; its name must be a plain file name, and it
   * may hold at most {@code maxBytes} (a chunked request declares no size).
   */
  long saveInput(String batchId, int index, String name, InputStream content, long maxBytes) {
    Path target = inputPath(batchId, index, checkedName(name));
    try {
      Files.createDirectories(target.getParent());
      try (OutputStream out = Files.newOutputStream(target)) {
        return InputStager.copy(
            content,
            out,
            maxBytes,
            () -> new InputTooLargeException("The item files are larger than the upload limit"));
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
    try {
      Workspaces.deleteTree(batchDir(batchId));
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
      throw InvalidInputException.forField(
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
