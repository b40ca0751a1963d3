package dev.stevedore.logs;

import dev.stevedore.core.JobId;
import dev.stevedore.core.LogText;
import dev.stevedore.runtime.LogSink;
import dev.stevedore.workspace.Workspaces;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.Deque;
import java.util.List;
import java.util.Locale;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.metrics.Metadata;
import org.eclipse.microprofile.metrics.MetricRegistry;
import org.eclipse.microprofile.metrics.MetricUnits;

/**
 * Stores each attempt's output as lines of {@code <time> <stream> <text>} in {@code
 * jobs/<id>/logs/attempt-<n>.log}, and reads them back. The text is stored escaped ({@link
 * LogText#escapeLine}), so one stored line is always one line of output, whatever control
 * characters it holds; the text view shows it so, the WebSocket gives it back exactly.
 */
@ApplicationScoped
public class JobLogs {

  @Inject Workspaces workspaces;
  @Inject LiveLogs live;
  @Inject MetricRegistry metrics;

  private static final Metadata STORED_BYTES =
      Metadata.builder()
          .withName("stevedore.logs.stored")
          .withDescription("Bytes of job output written to complete attempt logs")
          .withUnit(MetricUnits.BYTES)
          .build();

  @Inject
  @ConfigProperty(name = "stevedore.logs.max-bytes-per-attempt")
  long maxBytesPerAttempt;

  /** Which lines to read back, and how. */
  public record Selection(Integer attempt, StreamFilter stream, Integer tail, boolean timestamps) {}

  /** Which of a container's streams to read. */
  public enum StreamFilter {
    ALL,
    STDOUT,
    STDERR
  }

  /**
   * Opens the log of one attempt, empty: the container's output is always read from its start, also
   * when a restarted server adopts a running container, so a log is never doubled. Lines reach the
   * file as they arrive; past the configured size one marker line says the rest was dropped.
   */
  public Writer open(JobId job, int attempt, Collection<String> secrets) {
    return open(job, attempt, secrets, 0, file(job, attempt), null);
  }

  /**
   * As {@link #open(JobId, int, Collection)}, handing to live followers only the lines after {@code
   * publishedAlready}: for writing the log anew from the stopped container's whole output, where
   * followers have seen the first lines already. The new log replaces the old one only when {@link
   * Writer#complete()} was called before closing, and at once: a reader sees either whole, and a
   * failed read keeps what was followed.
   */
  public Writer open(JobId job, int attempt, Collection<String> secrets, long publishedAlready) {
    Path file = file(job, attempt);
    Path partial = file.resolveSibling(file.getFileName() + ".partial");
    return open(job, attempt, secrets, publishedAlready, partial, file);
  }

  private Writer open(
      JobId job,
      int attempt,
      Collection<String> secrets,
      long publishedAlready,
      Path target,
      Path replaces) {
    try {
      Files.createDirectories(target.getParent());
      BufferedWriter out =
          Files.newBufferedWriter(
              target,
              StandardCharsets.UTF_8,
              StandardOpenOption.CREATE,
              StandardOpenOption.TRUNCATE_EXISTING,
              StandardOpenOption.WRITE);
      // A rewrite hands its new lines to followers once it has replaced the log: a follower that
      // replays the log meanwhile must not miss them, and a failed rewrite publishes nothing.
      List<LogLine> deferred = new ArrayList<>();
      return new Writer(
          out,
          maxBytesPerAttempt,
          secrets,
          line -> {
            if (line.seq() <= publishedAlready) {
              return;
            }
            if (replaces == null) {
              live.publish(job, line);
            } else {
              deferred.add(line);
            }
          },
          attempt,
          complete -> {
            if (replaces == null) {
              return;
            }
            try {
              if (complete) {
                Files.move(
                    target,
                    replaces,
                    StandardCopyOption.REPLACE_EXISTING,
                    StandardCopyOption.ATOMIC_MOVE);
                countStored(replaces);
                deferred.forEach(line -> live.publish(job, line));
              } else {
                Files.deleteIfExists(target);
              }
            } catch (IOException e) {
              throw new UncheckedIOException("Cannot store the log of job " + job, e);
            }
          });
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot open the log of job " + job, e);
    }
  }

  /** Adds a complete attempt log's size to the stored-bytes metric. */
  private void countStored(Path file) {
    try {
      metrics.counter(STORED_BYTES).inc(Files.size(file));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Every stored line of one attempt, numbered as the live stream numbers them. */
  public List<LogLine> lines(JobId job, int attempt) {
    List<LogLine> lines = new ArrayList<>();
    try {
      long[] seq = {0};
      forEachStoredLine(
          file(job, attempt),
          stored -> {
            StoredLine line = StoredLine.parse(stored);
            seq[0]++;
            if (line != null) {
              lines.add(
                  new LogLine(
                      attempt,
                      seq[0],
                      line.stream(),
                      line.time(),
                      LogText.unescapeLine(line.text())));
            }
          });
    } catch (NoSuchFileException e) {
      return lines;
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot read the log of job " + job, e);
    }
    return lines;
  }

  /** The stored lines of one attempt, filtered; empty if the attempt wrote nothing. */
  public String read(JobId job, int attempt, Selection selection) {
    Deque<String> lines = new ArrayDeque<>();
    int tail = selection.tail() == null ? Integer.MAX_VALUE : selection.tail();
    if (tail == 0) {
      return "";
    }
    try {
      forEachStoredLine(
          file(job, attempt),
          stored -> {
            StoredLine line = StoredLine.parse(stored);
            if (line == null || !line.matches(selection.stream())) {
              return;
            }
            lines.addLast(selection.timestamps() ? stored : line.text());
            if (lines.size() > tail) {
              lines.removeFirst();
            }
          });
    } catch (NoSuchFileException e) {
      return "";
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot read the log of job " + job, e);
    }
    StringBuilder text = new StringBuilder();
    lines.forEach(l -> text.append(l).append('\n'));
    return text.toString();
  }

  /**
   * Hands over each stored line that ends in {@code \n}; a last line still being written (a long
   * one reaches the file in pieces) is left for the next read. Only {@code \n} ends a line: stored
   * text never holds another line break.
   */
  private static void forEachStoredLine(Path file, java.util.function.Consumer<String> each)
      throws IOException {
    try (BufferedReader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
      StringBuilder line = new StringBuilder();
      char[] buffer = new char[8192];
      for (int n; (n = reader.read(buffer)) > 0; ) {
        int start = 0;
        for (int i = 0; i < n; i++) {
          if (buffer[i] == '\n') {
            line.append(buffer, start, i - start);
            each.accept(line.toString());
            line.setLength(0);
            start = i + 1;
          }
        }
        line.append(buffer, start, n - start);
      }
    }
  }

  private Path file(JobId job, int attempt) {
    return workspaces.logsDir(job).resolve("attempt-" + attempt + ".log");
  }

  /** Appends lines as they come; one writer per attempt. */
  public static final class Writer implements LogSink, AutoCloseable {
    /** The stream name of lines the server itself adds, such as the truncation marker. */
    public static final String SERVER_STREAM = "stevedore";

    /** Secret values shorter than this are not masked: they would mask ordinary text. */
    static final int MIN_SECRET_LENGTH = 4;

    private final BufferedWriter out;
    private final long maxBytes;
    private final List<String> secrets;
    private long written;
    private boolean truncated;

    private final java.util.function.Consumer<LogLine> published;
    private final int attempt;
    private final java.util.function.Consumer<Boolean> closed;
    private long seq;
    private boolean complete;

    private Writer(
        BufferedWriter out,
        long maxBytes,
        Collection<String> secrets,
        java.util.function.Consumer<LogLine> published,
        int attempt,
        java.util.function.Consumer<Boolean> closed) {
      this.out = out;
      this.closed = closed;
      this.maxBytes = maxBytes;
      this.published = published;
      this.attempt = attempt;
      // Longest first, so that a secret containing another is masked whole.
      this.secrets =
          secrets.stream()
              .filter(v -> v.length() >= MIN_SECRET_LENGTH)
              .sorted(Comparator.comparingInt(String::length).reversed())
              .toList();
    }

    /** The line with every secret value replaced by {@code ***}. */
    private String masked(String text) {
      String result = text;
      for (String secret : secrets) {
        result = result.replace(secret, "***");
      }
      return result;
    }

    /**
     * A cut line's head, masked, without a secret's start that the cut left at its end: the cut
     * comes before masking, so the head may end with a part of a secret too short to be found.
     */
    private String maskedHead(String head) {
      String result = masked(head);
      for (String secret : secrets) {
        for (int k = Math.min(secret.length() - 1, result.length()); k > 0; k--) {
          if (result.endsWith(secret.substring(0, k))) {
            return result.substring(0, result.length() - k) + "***";
          }
        }
      }
      return result;
    }

    @Override
    public synchronized void line(Stream stream, Instant time, String text) {
      store(stream, time, masked(text));
    }

    @Override
    public synchronized void truncatedLine(
        Stream stream, Instant time, String head, long droppedBytes) {
      String text = maskedHead(head) + LogSink.truncationMarker(droppedBytes);
      store(stream, time, text);
    }

    private void store(Stream stream, Instant time, String masked) {
      if (truncated) {
        return;
      }
      // Counted as stored: an escaped control character takes several bytes on disk.
      String escaped = LogText.escapeLine(masked);
      long size = escaped.getBytes(StandardCharsets.UTF_8).length + 1L;
      if (written + size > maxBytes) {
        truncated = true;
        String notice = "output truncated: the job wrote more than " + maxBytes + " bytes";
        append(time, SERVER_STREAM, notice, LogText.escapeLine(notice));
        return;
      }
      written += size;
      append(time, stream.name().toLowerCase(Locale.ROOT), masked, escaped);
    }

    /** Stores the line escaped (one stored line per line, whatever it holds) and publishes it. */
    private void append(Instant time, String stream, String text, String escaped) {
      try {
        out.write(time.toString());
        out.write(' ');
        out.write(stream);
        out.write(' ');
        out.write(escaped);
        out.write('\n');
        out.flush();
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      published.accept(new LogLine(attempt, ++seq, stream, time, text));
    }

    /** Marks the output as read to its end: closing then keeps this log. */
    public synchronized void complete() {
      complete = true;
    }

    /** How many lines this writer has written. */
    public synchronized long lines() {
      return seq;
    }

    @Override
    public synchronized void close() {
      try {
        out.close();
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      closed.accept(complete);
    }
  }

  private record StoredLine(Instant time, String stream, String text) {
    static StoredLine parse(String stored) {
      int first = stored.indexOf(' ');
      int second = first < 0 ? -1 : stored.indexOf(' ', first + 1);
      if (second < 0) {
        return null;
      }
      Instant time;
      try {
        time = Instant.parse(stored.substring(0, first));
      } catch (java.time.format.DateTimeParseException e) {
        return null;
      }
      return new StoredLine(
          time, stored.substring(first + 1, second), stored.substring(second + 1));
    }

    boolean matches(StreamFilter filter) {
      return filter == StreamFilter.ALL || filter.name().equalsIgnoreCase(stream);
    }
  }
}
