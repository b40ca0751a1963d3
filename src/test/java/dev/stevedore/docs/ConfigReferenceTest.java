package dev.stevedore.docs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** The configuration reference of docs/operations.md neither lags behind the code nor invents. */
class ConfigReferenceTest {

  private static final Path GUIDE = Path.of("docs/operations.md");

  /** A row of the reference: | `STEVEDORE_…` | `stevedore.…` | default | meaning | */
  private static final Pattern ROW =
      Pattern.compile("(?m)^\\| `(STEVEDORE_[A-Z0-9_]+)` \\| `([^`]+)` \\|");

  @Test
  void everyKeyHasARowUnderItsEnvironmentName() throws IOException {
    Map<String, String> rows = referenceRows();
    Set<String> missing = new TreeSet<>(ConfigKeys.all());
    missing.removeAll(rows.keySet());
    assertEquals(Set.of(), missing, "keys missing from the configuration reference");
    rows.forEach((key, env) -> assertEquals(ConfigKeys.envName(key), env, "variable of " + key));
  }

  @Test
  void theGuideNamesOnlyRealSettings() throws IOException {
    Set<String> invented = new TreeSet<>(referenceRows().keySet());
    invented.removeAll(ConfigKeys.all());
    assertEquals(Set.of(), invented, "reference rows for keys the server does not read");

    Set<String> unknown = ConfigKeys.matches(ConfigKeys.ENV_NAME, Files.readString(GUIDE));
    unknown.removeAll(ConfigKeys.envNames());
    assertEquals(Set.of(), unknown, "variables in docs/operations.md that are no settings");
  }

  /** The reference's rows, key to environment variable. */
  private static Map<String, String> referenceRows() throws IOException {
    String guide = Files.readString(GUIDE);
    int start = guide.indexOf("\n## Configuration reference\n");
    assertTrue(start >= 0, "docs/operations.md has a '## Configuration reference' section");
    int end = guide.indexOf("\n## ", start + 1);
    String reference = guide.substring(start, end < 0 ? guide.length() : end);
    Map<String, String> rows = new TreeMap<>();
    ROW.matcher(reference).results().forEach(row -> rows.put(row.group(2), row.group(1)));
    return rows;
  }
}
