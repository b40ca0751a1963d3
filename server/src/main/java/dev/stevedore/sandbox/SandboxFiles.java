package dev.stevedore.sandbox;

import dev.stevedore.core.InputTooLargeException;
import dev.stevedore.core.InvalidInputException;
import dev.stevedore.core.NotFoundException;
import dev.stevedore.workspace.InputStager;
import jakarta.json.bind.annotation.JsonbPropertyOrder;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.SeekableByteChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SecureDirectoryStream;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;

/**
 * A sandbox's workspace as the host sees it: paths checked, files read without ever following a
 * link, uploads turned into an archive the engine unpacks inside the container.
 *
 * <p>The container can change its workspace while the host reads it, so every read walks the path
 * one directory at a time from an open directory, refusing links at each step ({@link
 * SecureDirectoryStream}): a link swapped in meanwhile makes the read fail, never leave the
 * workspace. Writes are the engine's, which resolves paths within the container's own file system.
 *
 * @param work the host directory bound at /workspace
 * @param in in a pool's container, the directory bound at /workspace/in (read-only); else null
 * @param out in a pool's container, the directory bound at /workspace/out; else null
 */
public record SandboxFiles(Path work, Path in, Path out) {

  private static final LinkOption[] NOFOLLOW = {LinkOption.NOFOLLOW_LINKS};
  private static final int MAX_DEPTH = 128;
  private static final int MAX_LISTED = 10_000;

  /** One entry of a directory. */
  @JsonbPropertyOrder({"name", "type", "size", "modifiedAt"})
  public record Entry(String name, String type, long size, Instant modifiedAt) {}

  /** A directory's entries, sorted by name. */
  @JsonbPropertyOrder({"path", "entries", "truncated"})
  public record Listing(String path, List<Entry> entries, boolean truncated) {}

  /** What an upload may hold. */
  public record Limits(long maxBytes, int maxFiles, long maxUnpackedBytes) {}

  /**
   * A path as the API takes it, relative to the workspace (a leading '/' or '/workspace/' is
   * allowed), normalized: "" for the workspace itself. Anything that could leave it is refused.
   */
  public static String relative(String path) {
    String p = path == null ? "" : path;
    if (p.startsWith("/workspace/") || p.equals("/workspace")) {
      p = p.substring("/workspace".length());
    }
    while (p.startsWith("/")) {
      p = p.substring(1);
    }
    if (p.indexOf('\0') >= 0 || p.contains("\\")) {
      throw InvalidInputException.forField("path", "must not hold NUL or '\\'");
    }
    if (p.getBytes(StandardCharsets.UTF_8).length > 4096) {
      throw InvalidInputException.forField("path", "must be at most 4096 bytes");
    }
    List<String> parts = new ArrayList<>();
    for (String part : p.split("/")) {
      if (part.isEmpty() || part.equals(".")) {
        continue;
      }
      if (part.equals("..")) {
        throw InvalidInputException.forField("path", "must not leave the workspace ('..')");
      }
      if (part.getBytes(StandardCharsets.UTF_8).length > 255) {
        throw InvalidInputException.forField("path", "has a name longer than 255 bytes");
      }
      parts.add(part);
    }
    return String.join("/", parts);
  }

  /** The container path of a relative one. */
  public static String inContainer(String relative) {
    return relative.isEmpty() ? "/workspace" : "/workspace/" + relative;
  }

  // ---- reads ----

  /** What the path is: a file, a directory, or nothing (a 404); a link on the way is refused. */
  public String type(String relative) {
    if (relative.isEmpty()) {
      return "directory";
    }
    Located at = locate(relative);
    if (at.name == null) {
      return "directory";
    }
    try (SecureDirectoryStream<Path> parent = open(at.root, at.parents)) {
      return typeOf(attributes(parent, at.name, relative));
    } catch (IOException e) {
      throw unreadable(relative, e);
    }
  }

  /** Lists a directory, its entries sorted by name (links shown, never followed). */
  public Listing list(String relative) {
    Located at = locate(relative);
    List<Entry> entries = new ArrayList<>();
    boolean truncated = false;
    try (SecureDirectoryStream<Path> dir = openDirectory(at, relative)) {
      for (Path child : dir) {
        String name = child.getFileName().toString();
        if (entries.size() == MAX_LISTED) {
          truncated = true;
          break;
        }
        entries.add(entry(dir, name));
      }
    } catch (IOException e) {
      throw unreadable(relative, e);
    }
    if (relative.isEmpty() && out != null) {
      // in/ and out/ are bound over their mount points: show what they hold.
      entries.replaceAll(e -> e.name().equals("in") || e.name().equals("out") ? rootEntry(e) : e);
    }
    entries.sort(Comparator.comparing(Entry::name));
    return new Listing(inContainer(relative), entries, truncated);
  }

  /** Copies a regular file to {@code sink}; a link or anything but a file is refused. */
  public void readFile(String relative, OutputStream sink) throws IOException {
    Located at = locate(relative);
    try (SecureDirectoryStream<Path> parent = open(at.root, at.parents);
        SeekableByteChannel channel = openFile(parent, at.name, relative)) {
      Channels.newInputStream(channel).transferTo(sink);
    }
  }

  /** Writes the file or directory as a tar: files and directories, no links, no special files. */
  public void writeTar(String relative, OutputStream sink) throws IOException {
    TarArchiveOutputStream tar = new TarArchiveOutputStream(sink, StandardCharsets.UTF_8.name());
    tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
    tar.setBigNumberMode(TarArchiveOutputStream.BIGNUMBER_POSIX);
    walk(
        relative,
        new Visitor() {
          @Override
          public void directory(String name, PosixFileAttributes attributes) throws IOException {
            TarArchiveEntry entry = new TarArchiveEntry(name + "/");
            entry.setMode(0755);
            entry.setModTime(attributes.lastModifiedTime().toMillis());
            tar.putArchiveEntry(entry);
            tar.closeArchiveEntry();
          }

          @Override
          public void file(String name, PosixFileAttributes attributes, InputStream content)
              throws IOException {
            TarArchiveEntry entry = new TarArchiveEntry(name);
            entry.setSize(attributes.size());
            entry.setMode(mode(attributes) & 0777);
            entry.setModTime(attributes.lastModifiedTime().toMillis());
            tar.putArchiveEntry(entry);
            long copied = copyExactly(content, tar, attributes.size());
            if (copied < attributes.size()) {
              throw new IOException(name + " shrank while it was read");
            }
            tar.closeArchiveEntry();
          }
        });
    tar.finish();
    tar.flush();
  }

  /** Writes the file or directory as a zip: files and directories, no links, no special files. */
  public void writeZip(String relative, OutputStream sink) throws IOException {
    ZipOutputStream zip = new ZipOutputStream(sink, StandardCharsets.UTF_8);
    walk(
        relative,
        new Visitor() {
          @Override
          public void directory(String name, PosixFileAttributes attributes) throws IOException {
            zip.putNextEntry(new ZipEntry(name + "/"));
            zip.closeEntry();
          }

          @Override
          public void file(String name, PosixFileAttributes attributes, InputStream content)
              throws IOException {
            ZipEntry entry = new ZipEntry(name);
            entry.setTime(attributes.lastModifiedTime().toMillis());
            zip.putNextEntry(entry);
            content.transferTo(zip);
            zip.closeEntry();
          }
        });
    zip.finish();
    zip.flush();
  }

  private interface Visitor {
    void directory(String name, PosixFileAttributes attributes) throws IOException;

    void file(String name, PosixFileAttributes attributes, InputStream content) throws IOException;
  }

  /**
   * Visits the file, or the directory and all it holds, names relative to the path's parent (so
   * that an archive of {@code src} unpacks to {@code src/...}, one of the workspace to its
   * entries).
   */
  private void walk(String relative, Visitor visitor) throws IOException {
    if (relative.isEmpty()) {
      try (SecureDirectoryStream<Path> root = open(work, List.of())) {
        walkDirectory(root, "", visitor, 0, true);
      }
      return;
    }
    Located at = locate(relative);
    String base = relative.substring(relative.lastIndexOf('/') + 1);
    if (at.name == null) { // in/ or out/ of a pool's container: a root of its own
      try (SecureDirectoryStream<Path> dir = open(at.root, List.of())) {
        visitor.directory(base, attributes(dir));
        walkDirectory(dir, base + "/", visitor, 1, false);
      }
      return;
    }
    try (SecureDirectoryStream<Path> parent = open(at.root, at.parents)) {
      PosixFileAttributes attributes = attributes(parent, at.name, relative);
      if (attributes.isDirectory()) {
        try (SecureDirectoryStream<Path> dir =
            parent.newDirectoryStream(Path.of(at.name), NOFOLLOW)) {
          visitor.directory(base, attributes);
          walkDirectory(dir, base + "/", visitor, 1, false);
        }
      } else if (attributes.isRegularFile()) {
        try (SeekableByteChannel channel = openFile(parent, at.name, relative)) {
          visitor.file(base, attributes, Channels.newInputStream(channel));
        }
      } else {
        throw InvalidInputException.forField(
            "path", "'" + relative + "' is a link or a special file: it is not read");
      }
    }
  }

  private void walkDirectory(
      SecureDirectoryStream<Path> dir, String prefix, Visitor visitor, int depth, boolean top)
      throws IOException {
    if (depth > MAX_DEPTH) {
      return;
    }
    List<String> names = new ArrayList<>();
    for (Path child : dir) {
      names.add(child.getFileName().toString());
    }
    names.sort(Comparator.naturalOrder());
    for (String name : names) {
      if (top && out != null && (name.equals("in") || name.equals("out"))) {
        Path mounted = name.equals("in") ? in : out;
        try (SecureDirectoryStream<Path> sub = open(mounted, List.of())) {
          visitor.directory(prefix + name, attributes(sub));
          walkDirectory(sub, prefix + name + "/", visitor, depth + 1, false);
        }
        continue;
      }
      PosixFileAttributes attributes;
      try {
        attributes =
            dir.getFileAttributeView(Path.of(name), PosixFileAttributeView.class, NOFOLLOW)
                .readAttributes();
      } catch (NoSuchFileException gone) {
        continue; // removed meanwhile
      }
      if (attributes.isDirectory()) {
        try (SecureDirectoryStream<Path> sub = dir.newDirectoryStream(Path.of(name), NOFOLLOW)) {
          visitor.directory(prefix + name, attributes);
          walkDirectory(sub, prefix + name + "/", visitor, depth + 1, false);
        } catch (FileSystemException changed) {
          // Replaced by a link or removed since it was looked at: left out.
        }
      } else if (attributes.isRegularFile()) {
        try (SeekableByteChannel channel =
            dir.newByteChannel(
                Path.of(name), Set.of(StandardOpenOption.READ, LinkOption.NOFOLLOW_LINKS))) {
          visitor.file(prefix + name, attributes, Channels.newInputStream(channel));
        } catch (FileSystemException changed) {
          // Replaced by a link or removed since it was looked at: left out.
        }
      }
    }
  }

  // ---- writes ----

  /**
   * Checks, before the engine is asked, that the path can be written: not in the read-only in/, and
   * no link or file where a directory is needed. The engine's own checks stay the guard.
   */
  public void checkWritable(String relative, boolean directory) {
    if (relative.isEmpty()) {
      if (!directory) {
        throw InvalidInputException.forField("path", "must name a file");
      }
      return;
    }
    Located at = locate(relative);
    if (at.root.equals(in)) {
      throw InvalidInputException.forField("path", "/workspace/in is read-only");
    }
    try (SecureDirectoryStream<Path> parent = open(at.root, at.parents)) {
      if (at.name == null) {
        return;
      }
      PosixFileAttributes attributes = attributes(parent, at.name, relative);
      if (attributes.isSymbolicLink()) {
        throw linkRefused(relative);
      }
      if (directory != attributes.isDirectory()) {
        throw InvalidInputException.forField(
            "path", "'" + relative + "' is " + (directory ? "not a directory" : "a directory"));
      }
    } catch (NotFoundException missing) {
      // Made by the upload.
    } catch (IOException e) {
      throw unreadable(relative, e);
    }
  }

  /**
   * Turns one uploaded file into an archive to unpack at /workspace: its parent directories, then
   * the file, owned by {@code uid}:{@code gid}.
   */
  public static Path fileArchive(
      String relative, InputStream content, Limits limits, int uid, int gid) throws IOException {
    Path staged = Files.createTempFile("stevedore-upload-", ".bin");
    Path archive = Files.createTempFile("stevedore-upload-", ".tar");
    try {
      long size;
      try (OutputStream out = Files.newOutputStream(staged)) {
        size = InputStager.copy(content, out, limits.maxBytes(), () -> tooLarge(limits.maxBytes()));
      }
      try (TarArchiveOutputStream tar = tar(archive);
          InputStream in = Files.newInputStream(staged)) {
        parents(tar, relative, uid, gid);
        TarArchiveEntry entry = new TarArchiveEntry(relative);
        entry.setSize(size);
        entry.setMode(0644);
        owned(entry, uid, gid);
        tar.putArchiveEntry(entry);
        in.transferTo(tar);
        tar.closeArchiveEntry();
      }
      return archive;
    } catch (IOException | RuntimeException e) {
      Files.deleteIfExists(archive);
      throw e;
    } finally {
      Files.deleteIfExists(staged);
    }
  }

  /**
   * Checks an uploaded tar and rewrites it to unpack at /workspace under {@code relative}: only
   * files and directories, names that stay inside, owned by {@code uid}:{@code gid}, no set-id
   * bits; within the limits. Links and special files are refused, and so is the whole upload then.
   */
  public static Path tarArchive(
      String relative, InputStream content, Limits limits, int uid, int gid) throws IOException {
    Path archive = Files.createTempFile("stevedore-upload-", ".tar");
    long[] read = {0};
    InputStream bounded =
        new java.io.FilterInputStream(content) {
          @Override
          public int read() throws IOException {
            int b = super.read();
            count(b < 0 ? 0 : 1);
            return b;
          }

          @Override
          public int read(byte[] buffer, int offset, int length) throws IOException {
            int n = super.read(buffer, offset, length);
            count(Math.max(n, 0));
            return n;
          }

          private void count(int n) {
            read[0] += n;
            if (read[0] > limits.maxBytes()) {
              throw tooLarge(limits.maxBytes());
            }
          }
        };
    try (TarArchiveInputStream entries = new TarArchiveInputStream(bounded);
        TarArchiveOutputStream tar = tar(archive)) {
      String prefix = relative.isEmpty() ? "" : relative + "/";
      if (!relative.isEmpty()) {
        parents(tar, prefix + "x", uid, gid);
      }
      int files = 0;
      long unpacked = 0;
      for (TarArchiveEntry entry = entries.getNextEntry();
          entry != null;
          entry = entries.getNextEntry()) {
        String name = entryName(entry.getName());
        if (name.isEmpty()) {
          continue; // "./" itself
        }
        if (entry.isSymbolicLink() || entry.isLink()) {
          throw InvalidInputException.forField(
              "tar", "entry '" + entry.getName() + "' is a link: links are refused");
        }
        if (!entry.isDirectory() && !entry.isFile()) {
          throw InvalidInputException.forField(
              "tar", "entry '" + entry.getName() + "' is a special file");
        }
        if (++files > limits.maxFiles()) {
          throw new InputTooLargeException(
              "tar", "The archive holds more than " + limits.maxFiles() + " entries");
        }
        unpacked += entry.getSize();
        if (unpacked > limits.maxUnpackedBytes()) {
          throw new InputTooLargeException(
              "tar", "The archive unpacks to more than " + limits.maxUnpackedBytes() + " bytes");
        }
        TarArchiveEntry copy =
            new TarArchiveEntry(prefix + name + (entry.isDirectory() ? "/" : ""));
        int mode = entry.getMode() & 0777;
        copy.setMode(entry.isDirectory() ? mode | 0700 : mode | 0600);
        copy.setModTime(entry.getModTime());
        owned(copy, uid, gid);
        if (!entry.isDirectory()) {
          copy.setSize(entry.getSize());
        }
        tar.putArchiveEntry(copy);
        if (!entry.isDirectory()) {
          long copied = entries.transferTo(tar);
          if (copied != entry.getSize()) {
            throw InvalidInputException.forField("tar", "entry '" + name + "' is cut short");
          }
        }
        tar.closeArchiveEntry();
      }
      return archive;
    } catch (IOException e) {
      Files.deleteIfExists(archive);
      throw InvalidInputException.forField(
          "tar", "is not a readable tar archive: " + e.getMessage());
    } catch (RuntimeException e) {
      Files.deleteIfExists(archive);
      throw e;
    }
  }

  /** An entry's name checked and normalized; "" for the archive's own root. */
  static String entryName(String name) {
    if (name.startsWith("/")) {
      throw InvalidInputException.forField("tar", "entry '" + name + "' is an absolute path");
    }
    try {
      return relative(name);
    } catch (InvalidInputException e) {
      throw InvalidInputException.forField("tar", "entry '" + name + "' leaves its directory");
    }
  }

  private static TarArchiveOutputStream tar(Path archive) throws IOException {
    TarArchiveOutputStream tar =
        new TarArchiveOutputStream(Files.newOutputStream(archive), StandardCharsets.UTF_8.name());
    tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
    tar.setBigNumberMode(TarArchiveOutputStream.BIGNUMBER_POSIX);
    return tar;
  }

  /** Directory entries for each parent of {@code relative}, so that it can be unpacked. */
  private static void parents(TarArchiveOutputStream tar, String relative, int uid, int gid)
      throws IOException {
    int slash = -1;
    while ((slash = relative.indexOf('/', slash + 1)) > 0) {
      TarArchiveEntry dir = new TarArchiveEntry(relative.substring(0, slash) + "/");
      dir.setMode(0755);
      owned(dir, uid, gid);
      tar.putArchiveEntry(dir);
      tar.closeArchiveEntry();
    }
  }

  private static void owned(TarArchiveEntry entry, int uid, int gid) {
    entry.setUserId(uid);
    entry.setGroupId(gid);
    entry.setUserName("");
    entry.setGroupName("");
  }

  // ---- walking ----

  /** Where a relative path lies: the host root that holds it, its parents and its own name. */
  private record Located(Path root, List<String> parents, String name) {}

  private Located locate(String relative) {
    if (relative.isEmpty()) {
      return new Located(work, List.of(), null);
    }
    List<String> parts = new ArrayList<>(List.of(relative.split("/")));
    Path root = work;
    if (out != null && (parts.get(0).equals("in") || parts.get(0).equals("out"))) {
      root = parts.get(0).equals("in") ? in : out;
      parts.remove(0);
      if (parts.isEmpty()) {
        return new Located(root, List.of(), null);
      }
    }
    String name = parts.remove(parts.size() - 1);
    return new Located(root, parts, name);
  }

  /** Opens {@code root}, then each directory below it, refusing links at every step. */
  private static SecureDirectoryStream<Path> open(Path root, List<String> parents)
      throws IOException {
    DirectoryStream<Path> opened = Files.newDirectoryStream(root);
    if (!(opened instanceof SecureDirectoryStream<Path> dir)) {
      opened.close();
      throw new IOException("this platform cannot read directories safely");
    }
    SecureDirectoryStream<Path> current = dir;
    StringBuilder walked = new StringBuilder();
    try {
      for (String part : parents) {
        walked.append(walked.length() == 0 ? "" : "/").append(part);
        PosixFileAttributes attributes = attributes(current, part, walked.toString());
        if (attributes.isSymbolicLink()) {
          throw linkRefused(walked.toString());
        }
        if (!attributes.isDirectory()) {
          throw InvalidInputException.forField("path", "'" + walked + "' is not a directory");
        }
        SecureDirectoryStream<Path> next = current.newDirectoryStream(Path.of(part), NOFOLLOW);
        current.close();
        current = next;
      }
      return current;
    } catch (IOException | RuntimeException e) {
      current.close();
      throw e;
    }
  }

  private SecureDirectoryStream<Path> openDirectory(Located at, String relative)
      throws IOException {
    if (at.name == null) {
      return open(at.root, at.parents);
    }
    SecureDirectoryStream<Path> parent = open(at.root, at.parents);
    try {
      PosixFileAttributes attributes = attributes(parent, at.name, relative);
      if (attributes.isSymbolicLink()) {
        throw linkRefused(relative);
      }
      if (!attributes.isDirectory()) {
        throw InvalidInputException.forField("path", "'" + relative + "' is not a directory");
      }
      return parent.newDirectoryStream(Path.of(at.name), NOFOLLOW);
    } finally {
      parent.close();
    }
  }

  private static SeekableByteChannel openFile(
      SecureDirectoryStream<Path> parent, String name, String relative) throws IOException {
    PosixFileAttributes attributes = attributes(parent, name, relative);
    if (attributes.isSymbolicLink()) {
      throw linkRefused(relative);
    }
    if (!attributes.isRegularFile()) {
      throw InvalidInputException.forField("path", "'" + relative + "' is not a file");
    }
    return parent.newByteChannel(
        Path.of(name), Set.of(StandardOpenOption.READ, LinkOption.NOFOLLOW_LINKS));
  }

  private static PosixFileAttributes attributes(
      SecureDirectoryStream<Path> dir, String name, String relative) throws IOException {
    try {
      return dir.getFileAttributeView(Path.of(name), PosixFileAttributeView.class, NOFOLLOW)
          .readAttributes();
    } catch (NoSuchFileException missing) {
      throw new NotFoundException("file", "No file or directory /workspace/" + relative);
    }
  }

  private static PosixFileAttributes attributes(SecureDirectoryStream<Path> dir)
      throws IOException {
    return dir.getFileAttributeView(PosixFileAttributeView.class).readAttributes();
  }

  private static Entry entry(SecureDirectoryStream<Path> dir, String name) throws IOException {
    try {
      PosixFileAttributes a =
          dir.getFileAttributeView(Path.of(name), PosixFileAttributeView.class, NOFOLLOW)
              .readAttributes();
      return new Entry(
          name, typeOf(a), a.isRegularFile() ? a.size() : 0, a.lastModifiedTime().toInstant());
    } catch (NoSuchFileException gone) {
      return new Entry(name, "gone", 0, null);
    }
  }

  private Entry rootEntry(Entry mountPoint) {
    Path root = mountPoint.name().equals("in") ? in : out;
    try (SecureDirectoryStream<Path> dir = open(root, List.of())) {
      return new Entry(
          mountPoint.name(), "directory", 0, attributes(dir).lastModifiedTime().toInstant());
    } catch (IOException e) {
      return mountPoint;
    }
  }

  private static String typeOf(PosixFileAttributes a) {
    if (a.isSymbolicLink()) {
      return "link";
    }
    if (a.isDirectory()) {
      return "directory";
    }
    return a.isRegularFile() ? "file" : "other";
  }

  private static int mode(PosixFileAttributes attributes) {
    int mode = 0;
    for (PosixFilePermission p : attributes.permissions()) {
      mode |= 1 << (8 - p.ordinal());
    }
    return mode;
  }

  private static long copyExactly(InputStream in, OutputStream out, long size) throws IOException {
    byte[] buffer = new byte[64 * 1024];
    long left = size;
    while (left > 0) {
      int n = in.read(buffer, 0, (int) Math.min(buffer.length, left));
      if (n < 0) {
        break;
      }
      out.write(buffer, 0, n);
      left -= n;
    }
    return size - left;
  }

  private static InvalidInputException linkRefused(String relative) {
    return InvalidInputException.forField(
        "path", "'" + relative + "' is a link: links are not followed");
  }

  private static RuntimeException unreadable(String relative, IOException e) {
    if (e instanceof FileSystemException fs && fs.getReason() != null) {
      return InvalidInputException.forField(
          "path", "'" + relative + "' cannot be read: " + fs.getReason());
    }
    return new IllegalStateException("Could not read /workspace/" + relative, e);
  }

  private static InputTooLargeException tooLarge(long maxBytes) {
    return new InputTooLargeException("The upload is larger than " + maxBytes + " bytes");
  }
}
