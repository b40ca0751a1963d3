package dev.stevedore.cli;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;

/** Unpacks the archives the server sends, refusing any entry that would land outside its target. */
final class Archives {

  private Archives() {}

  /** Unpacks a zip stream into a directory, made if missing; answers the files written. */
  static List<Path> unzip(InputStream in, Path directory) throws IOException {
    Path root = Files.createDirectories(directory).toRealPath();
    List<Path> written = new ArrayList<>();
    try (ZipInputStream zip = new ZipInputStream(in)) {
      for (ZipEntry entry = zip.getNextEntry(); entry != null; entry = zip.getNextEntry()) {
        Path target = inside(root, entry.getName());
        if (entry.isDirectory()) {
          Files.createDirectories(target);
          continue;
        }
        Files.createDirectories(target.getParent());
        // A link already there (made by someone else) is not followed: it is replaced.
        if (Files.isSymbolicLink(target)) {
          Files.delete(target);
        }
        Files.copy(zip, target, StandardCopyOption.REPLACE_EXISTING);
        written.add(root.relativize(target));
      }
    }
    return written;
  }

  /** Where an entry goes: refused when absolute, when it climbs out, or when it passes a link. */
  static Path inside(Path root, String name) throws IOException {
    if (name.isEmpty() || name.startsWith("/") || name.contains("\\") || name.contains("\0")) {
      throw new IOException("refused archive entry '" + name + "'");
    }
    Path target = root.resolve(name).normalize();
    if (!target.startsWith(root) || target.equals(root)) {
      throw new IOException("refused archive entry '" + name + "': it leaves " + root);
    }
    for (Path step = target.getParent(); !step.equals(root); step = step.getParent()) {
      if (Files.isSymbolicLink(step)
          || (Files.exists(step, LinkOption.NOFOLLOW_LINKS)
              && !Files.isDirectory(step, LinkOption.NOFOLLOW_LINKS))) {
        throw new IOException("refused archive entry '" + name + "': " + step + " is no directory");
      }
    }
    return target;
  }
}
