package dev.stevedore.docs;

import static java.util.stream.Collectors.toCollection;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/** The configuration keys the server reads, gathered from the code and from server.xml. */
final class ConfigKeys {

  private static final Pattern CONFIG_PROPERTY =
      Pattern.compile("@ConfigProperty\\(\\s*name\\s*=\\s*\"([^\"]+)\"");
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
    List<Path> sources;
    try (Stream<Path> files = Files.walk(Path.of("src/main/java"))) {
      sources = files.filter(f -> f.toString().endsWith(".java")).toList();
    }
    for (Path source : sources) {
      keys.addAll(matches(CONFIG_PROPERTY, Files.readString(source)));
    }
    keys.addAll(
        matches(
            DEFAULT_PROPERTY,
            Files.readString(
                Path.of("src/main/resources/META-INF/microprofile-config.properties"))));
    keys.addAll(matches(SERVER_VARIABLE, Files.readString(Path.of("server.xml"))));
    return keys;
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
