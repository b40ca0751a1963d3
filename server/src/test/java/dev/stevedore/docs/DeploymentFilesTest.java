package dev.stevedore.docs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** What can be checked of docker/Dockerfile and docker/compose.yaml without building or running. */
class DeploymentFilesTest {

  private static final Path DOCKERFILE = Path.of("../docker/Dockerfile");
  private static final Path COMPOSE = Path.of("../docker/compose.yaml");

  @Test
  void everyCopySourceIsInTheRepositoryOrMadeByTheBuild() throws IOException {
    for (List<String> copy : copies()) {
      for (String source : copy.subList(0, copy.size() - 1)) {
        if (source.startsWith("server/target/")) {
          assertTrue(built().contains(source), source + " is none of what pom.xml builds");
        } else {
          assertTrue(Files.exists(Path.of("..", source)), source + " is not in the repository");
        }
      }
    }
  }

  @Test
  void driversAndApplicationGoWhereServerXmlLooks() throws IOException {
    String serverXml = Files.readString(Path.of("server.xml"));
    String libraryDir = first(serverXml, "<fileset dir=\"\\$\\{server\\.config\\.dir}/([^\"]+)\"");
    String application = first(serverXml, "<webApplication [^>]*location=\"([^\"]+)\"");
    // In the image, /config is the server's configuration directory.
    assertTrue(
        copies().contains(List.of(drivers(), "/config/" + libraryDir + "/")),
        "the drivers are copied to /config/" + libraryDir + "/");
    assertTrue(
        copies().contains(List.of("server/target/" + application, "/config/apps/")),
        "server/target/" + application + " is copied to /config/apps/");
  }

  @Test
  void composeSetsOnlyRealSettings() throws IOException {
    Set<String> unknown = ConfigKeys.matches(ConfigKeys.ENV_NAME, Files.readString(COMPOSE));
    unknown.removeAll(ConfigKeys.envNames());
    assertEquals(Set.of(), unknown, "variables in docker/compose.yaml that are no settings");
  }

  @Test
  void dataDirectoryIsMountedOntoTheSamePath() throws IOException {
    String compose = Files.readString(COMPOSE);
    String dataDir = first(compose, "STEVEDORE_DATA_DIR: (\\S+)");
    assertEquals(dataDir, first(Files.readString(DOCKERFILE), "ENV STEVEDORE_DATA_DIR=(\\S+)"));
    String sameDir = Pattern.quote(dataDir);
    assertTrue(
        Pattern.compile("source: " + sameDir + "\\s+target: " + sameDir + "\\s")
            .matcher(compose)
            .find(),
        "the host's " + dataDir + " is bind-mounted onto " + dataDir);
  }

  /**
   * What the Maven build leaves under server/target/ for the image: the WAR and the drivers
   * directory.
   */
  private static Set<String> built() throws IOException {
    String pom = Files.readString(Path.of("pom.xml"));
    return Set.of(
        "server/target/" + first(pom, "<finalName>([^<]+)</finalName>") + ".war", drivers());
  }

  /** Where liberty:create copies the JDBC drivers (copyDependencies in pom.xml). */
  private static String drivers() throws IOException {
    String pom = Files.readString(Path.of("pom.xml"));
    String server = first(pom, "<serverName>([^<$]+)</serverName>");
    String location = first(pom, "<copyDependencies>\\s*<location>([^<]+)</location>");
    return "server/target/liberty/wlp/usr/servers/" + server + "/" + location + "/";
  }

  /** Each COPY of the Dockerfile as its sources then its destination, options left out. */
  private static List<List<String>> copies() throws IOException {
    List<List<String>> copies = new ArrayList<>();
    for (String line : Files.readAllLines(DOCKERFILE)) {
      if (line.startsWith("COPY ") && !line.contains("--from=")) {
        copies.add(
            Arrays.stream(line.substring(5).trim().split("\\s+"))
                .filter(word -> !word.startsWith("--"))
                .toList());
      }
    }
    assertFalse(copies.isEmpty(), "docker/Dockerfile copies something");
    return copies;
  }

  private static String first(String text, String regex) {
    Matcher matcher = Pattern.compile(regex).matcher(text);
    assertTrue(matcher.find(), "found: " + regex);
    return matcher.group(1);
  }
}
