package dev.stevedore.core;

import java.util.Locale;
import java.util.regex.Pattern;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/**
 * The identity of a job: a UUID whose leading bits are the creation time in milliseconds (the
 * version 7 layout), so ids sort by age. It is also the path parameter type of every job endpoint,
 * so a malformed id is refused in one place.
 */
@Schema(type = SchemaType.STRING, format = "uuid", description = "A job's id")
public record JobId(String value) implements Comparable<JobId> {

  private static final Pattern CANONICAL =
      Pattern.compile("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}");

  public JobId {
    if (value == null || !CANONICAL.matcher(value).matches()) {
      throw new IllegalArgumentException("not a job id: " + value);
    }
  }

  /** A new id for a job created now. */
  public static JobId next() {
    return new JobId(Ids.next());
  }

  /** Reads a path parameter; a malformed id is a 400, not a 404. */
  public static JobId valueOf(String text) {
    String candidate = text == null ? "" : text.trim().toLowerCase(Locale.ROOT);
    if (!CANONICAL.matcher(candidate).matches()) {
      throw InvalidInputException.forField("id", "'" + text + "' is not a job id (a UUID)");
    }
    return new JobId(candidate);
  }

  @Override
  public int compareTo(JobId other) {
    return value.compareTo(other.value);
  }

  @Override
  public String toString() {
    return value;
  }
}
