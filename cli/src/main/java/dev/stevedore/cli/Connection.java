package dev.stevedore.cli;

import dev.stevedore.client.Stevedore;
import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Properties;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;

/**
 * Where the server is and which key to use: {@code --url} and {@code --key}, else the variables
 * {@code STEVEDORE_URL} and {@code STEVEDORE_KEY}, else the config file ({@code STEVEDORE_CONFIG},
 * or {@code ~/.config/stevedore/config}, with {@code url=} and {@code key=} lines).
 */
final class Connection {

  static final String DEFAULT_URL = "http://localhost:9080";

  @Option(
      names = "--url",
      scope = ScopeType.INHERIT,
      paramLabel = "URL",
      description = "The server (default: STEVEDORE_URL, the config file, or " + DEFAULT_URL + ")")
  String url;

  @Option(
      names = "--key",
      scope = ScopeType.INHERIT,
      paramLabel = "KEY",
      description = "The API key (default: STEVEDORE_KEY, or the config file)")
  String key;

  @Option(
      names = "--json",
      scope = ScopeType.INHERIT,
      description = "Print JSON instead of text, for scripts")
  boolean json;

  private Stevedore client;

  /** The client, made on first use. */
  Stevedore client() {
    if (client == null) {
      Map<String, String> env = System.getenv();
      Properties file = configFile(env);
      client =
          Stevedore.connect(
              first(url, env.get("STEVEDORE_URL"), file.getProperty("url"), DEFAULT_URL),
              first(key, env.get("STEVEDORE_KEY"), file.getProperty("key"), null));
    }
    return client;
  }

  Printer printer() {
    return new Printer(json);
  }

  private static Properties configFile(Map<String, String> env) {
    Properties properties = new Properties();
    String named = env.get("STEVEDORE_CONFIG");
    Path path =
        named != null
            ? Path.of(named)
            : Path.of(System.getProperty("user.home"), ".config", "stevedore", "config");
    if (Files.isRegularFile(path)) {
      try (Reader in = Files.newBufferedReader(path)) {
        properties.load(in);
      } catch (IOException e) {
        throw new IllegalArgumentException("cannot read the config file " + path + ": " + e);
      }
    } else if (named != null) {
      throw new IllegalArgumentException("there is no config file " + path);
    }
    return properties;
  }

  private static String first(String... candidates) {
    for (String candidate : candidates) {
      if (candidate != null && !candidate.isBlank()) {
        return candidate.trim();
      }
    }
    return null;
  }
}
