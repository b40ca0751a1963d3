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

/**
 * The configuration reference of docs/operations.md neither lags behind the code nor invents, and
 * every default is written once, in microprofile-config.properties, which the reference quotes.
 */
class ConfigReferenceTest {

  private static final Path GUIDE = Path.of("../docs/operations.md");

  /** A row of the reference: | `STEVEDORE_…` | `stevedore.…` | default | meaning | */
  private static final Pattern ROW =
      Pattern.compile("(?m)^\\| `(STEVEDORE_[A-Z0-9_]+)` \\| `([^`]+)` \\|");

  /** The key and default cells of a row. */
  private static final Pattern DEFAULT_CELL =
      Pattern.compile("(?m)^\\| `STEVEDORE_[A-Z0-9_]+` \\| `([^`]+)` \\| ([^|]*) \\|");

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

  @Test
  void defaultsAreWrittenOnlyInTheDefaultsFile() throws IOException {
    Set<String> repeated = new TreeSet<>();
    for (ConfigKeys.Injection injection : ConfigKeys.injections()) {
      if (injection.repeatsADefault()) {
        repeated.add(injection.key() + " in " + injection.source().getFileName());
      }
    }
    assertEquals(
        Set.of(),
        repeated,
        "defaultValue in @ConfigProperty: give the default in microprofile-config.properties");
  }

  @Test
  void everySettingHasADefaultUnlessItIsOptional() throws IOException {
    Map<String, String> defaults = ConfigKeys.defaults();
    Set<String> withoutDefault = new TreeSet<>();
    Set<String> optionalWithDefault = new TreeSet<>();
    for (ConfigKeys.Injection injection : ConfigKeys.injections()) {
      if (!injection.optional() && !defaults.containsKey(injection.key())) {
        withoutDefault.add(injection.key() + " in " + injection.source().getFileName());
      }
      if (injection.optional() && defaults.containsKey(injection.key())) {
        optionalWithDefault.add(injection.key() + " in " + injection.source().getFileName());
      }
    }
    assertEquals(
        Set.of(),
        withoutDefault,
        "settings injected as a plain value need a default in microprofile-config.properties");
    assertEquals(
        Set.of(),
        optionalWithDefault,
        "an Optional setting with a default is never empty: drop one or the other");
  }

  @Test
  void everyInjectionIsReadByTheChecks() throws IOException {
    Set<String> parsed = new TreeSet<>();
    ConfigKeys.injections().forEach(i -> parsed.add(i.key()));
    assertEquals(
        ConfigKeys.codeKeys(), parsed, "@ConfigProperty injections the checks could not read");
  }

  @Test
  void theReferenceQuotesTheDefaults() throws IOException {
    Map<String, String> cells = referenceDefaults();
    Map<String, String> wrong = new TreeMap<>();
    ConfigKeys.defaults()
        .forEach(
            (key, value) -> {
              String cell = cells.get(key);
              if (key.startsWith("stevedore.")
                  && (cell == null || !cell.startsWith("`" + value + "`"))) {
                wrong.put(key, "file: " + value + ", reference: " + cell);
              }
            });
    assertEquals(Map.of(), wrong, "defaults the reference of docs/operations.md misquotes");
  }

  /** The reference's default cells, key to cell. */
  private static Map<String, String> referenceDefaults() throws IOException {
    Map<String, String> cells = new TreeMap<>();
    DEFAULT_CELL
        .matcher(reference())
        .results()
        .forEach(row -> cells.put(row.group(1), row.group(2).trim()));
    return cells;
  }

  /** The reference's rows, key to environment variable. */
  private static Map<String, String> referenceRows() throws IOException {
    Map<String, String> rows = new TreeMap<>();
    ROW.matcher(reference()).results().forEach(row -> rows.put(row.group(2), row.group(1)));
    return rows;
  }

  /** The '## Configuration reference' section of docs/operations.md. */
  private static String reference() throws IOException {
    String guide = Files.readString(GUIDE);
    int start = guide.indexOf("\n## Configuration reference\n");
    assertTrue(start >= 0, "docs/operations.md has a '## Configuration reference' section");
    int end = guide.indexOf("\n## ", start + 1);
    return guide.substring(start, end < 0 ? guide.length() : end);
  }
}
