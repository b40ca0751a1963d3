package dev.stevedore.docs;

import static java.util.stream.Collectors.toCollection;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.MatchResult;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The configuration keys the server reads, gathered from the code, its defaults file and
 * server.xml, and how the code injects them.
 */
final class ConfigKeys {

  private static final Pattern CONFIG_PROPERTY =
      Pattern.compile("@ConfigProperty\\(\\s*name\\s*=\\s*\"([^\"]+)\"");

  /** An injection: the annotation's attributes, then the injected type's first word. */
  private static final Pattern INJECTION =
      Pattern.compile(
          "@ConfigProperty\\(([^)]*)\\)\\s*(?:(?:private|protected|public|final)\\s+)*([\\w.]+)");

  private static final Pattern NAME = Pattern.compile("name\\s*=\\s*\"([^\"]+)\"");
  private static final Path DEFAULTS =
      Path.of("src/main/resources/META-INF/microprofile-config.properties");
  private static final Pattern DEFAULT_PROPERTY =
      Pattern.compile("(?m)^(stevedore\\.[a-z0-9.-]+)=");
  private static final Pattern SERVER_VARIABLE =
      Pattern.compile("<variable\\s+name=\"(stevedore\\.[^\"]+)\"");
  static final Pattern ENV_NAME = Pattern.compile("(STEVEDORE_[A-Z0-9_]+)");

  private ConfigKeys() {}

  /**
   * Every {@code @ConfigProperty} name under src/main/java, every default in
   * microprofile-config.properties and every server.xml variable.
   */
  static Set<String> all() throws IOException {
    Set<String> keys = new TreeSet<>();
    keys.addAll(codeKeys());
    keys.addAll(matches(DEFAULT_PROPERTY, Files.readString(DEFAULTS)));
    keys.addAll(matches(SERVER_VARIABLE, Files.readString(Path.of("server.xml"))));
    return keys;
  }

  /** Every {@code @ConfigProperty} name under src/main/java. */
  static Set<String> codeKeys() throws IOException {
    Set<String> keys = new TreeSet<>();
    for (Path source : sources()) {
      keys.addAll(matches(CONFIG_PROPERTY, Files.readString(source)));
    }
    return keys;
  }

  /**
   * One {@code @ConfigProperty} injection in the code.
   *
   * @param source the file it is in
   * @param key the key it names
   * @param repeatsADefault whether the annotation gives a {@code defaultValue}
   * @param optional whether the injected type is an {@code Optional}: a setting that may be unset
   */
  record Injection(Path source, String key, boolean repeatsADefault, boolean optional) {}

  /** Every {@code @ConfigProperty} injection under src/main/java. */
  static List<Injection> injections() throws IOException {
    List<Injection> injections = new ArrayList<>();
    for (Path source : sources()) {
      for (MatchResult m : INJECTION.matcher(Files.readString(source)).results().toList()) {
        Matcher name = NAME.matcher(m.group(1));
        if (!name.find()) {
          throw new IllegalStateException("@ConfigProperty without a name in " + source);
        }
        injections.add(
            new Injection(
                source,
                name.group(1),
                m.group(1).contains("defaultValue"),
                m.group(2).equals("Optional") || m.group(2).equals("java.util.Optional")));
      }
    }
    return injections;
  }

  /** The defaults of microprofile-config.properties, key to value (commented-out ones left out). */
  static Map<String, String> defaults() throws IOException {
    Properties properties = new Properties();
    try (Reader reader = Files.newBufferedReader(DEFAULTS, StandardCharsets.UTF_8)) {
      properties.load(reader);
    }
    Map<String, String> defaults = new TreeMap<>();
    properties.stringPropertyNames().forEach(k -> defaults.put(k, properties.getProperty(k)));
    return defaults;
  }

  private static List<Path> sources() throws IOException {
    try (Stream<Path> files = Files.walk(Path.of("src/main/java"))) {
      return files.filter(f -> f.toString().endsWith(".java")).sorted().toList();
    }
  }

  static Set<String> envNames() throws IOException {
    return all().stream().map(ConfigKeys::envName).collect(toCollection(TreeSet::new));
  }

  /** MicroProfile Config's environment form: upper case, every other character an underscore. */
  static String envName(String key) {
    return key.toUpperCase(Locale.ROOT).replaceAll("[^A-Z0-9]", "_");
  }

  /** The first group of every match. */
  static Set<String> matches(Pattern pattern, String text) {
    return pattern.matcher(text).results().map(m -> m.group(1)).collect(toCollection(TreeSet::new));
  }
}
