package dev.stevedore.runtime.docker;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Fault Tolerance's exceptions are the Docker adapter's business: no code above the engine port
 * catches them (the adapter turns them into the port's exceptions).
 */
class FaultToleranceStaysInTheAdapterTest {

  private static final Path SOURCES = Path.of("src/main/java");
  private static final Path ADAPTER = SOURCES.resolve("dev/stevedore/runtime/docker");

  @Test
  void onlyTheDockerAdapterKnowsFaultTolerancesExceptions() throws IOException {
    try (Stream<Path> files = Files.walk(SOURCES)) {
      List<String> leaking =
          files
              .filter(f -> f.toString().endsWith(".java") && !f.startsWith(ADAPTER))
              .filter(f -> read(f).contains("org.eclipse.microprofile.faulttolerance.exceptions"))
              .map(f -> SOURCES.relativize(f).toString())
              .sorted()
              .toList();
      assertEquals(List.of(), leaking);
    }
  }

  private static String read(Path file) {
    try {
      return Files.readString(file);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
