package dev.stevedore.workspace;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.stevedore.core.InvalidInputException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class InputStagerTest {

  private static final Path ROOT = Path.of("/data/jobs/j/in");

  @Test
  void relativeNamesStayInside() {
    assertEquals(ROOT.resolve("a.txt"), InputStager.resolveInside(ROOT, "a.txt"));
    assertEquals(ROOT.resolve("dir/b.csv"), InputStager.resolveInside(ROOT, "dir/b.csv"));
    assertEquals(ROOT.resolve("dir/b.csv"), InputStager.resolveInside(ROOT, "dir/./b.csv"));
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "",
        " ",
        "..",
        "../x",
        "a/../../x",
        "a/..",
        "/etc/passwd",
        "\\\\server\\share",
        "C:/x",
        "C:x",
        "a\\..\\x",
        "x\u0000y"
      })
  void namesThatCouldLeaveAreRefused(String name) {
    assertThrows(InvalidInputException.class, () -> InputStager.resolveInside(ROOT, name));
  }
}
