package dev.stevedore.webhooks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.re2j.PatternSyntaxException;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class LogPatternTest {

  @Test
  void aBacktrackingBombMatchesInLinearTime() {
    var evil = LogPatternWatcher.compile("(.*a){12}$");
    String line = "a".repeat(27) + "b"; // 28 characters: seconds for a backtracking engine
    String longLine = "a".repeat(64 * 1024) + "b";

    assertTimeoutPreemptively(
        Duration.ofSeconds(2),
        () -> {
          assertFalse(evil.matcher(line).find());
          assertFalse(evil.matcher(longLine).find());
          assertTrue(evil.matcher("a".repeat(12)).find());
        });
  }

  @Test
  void constructsWithoutALinearTimeMatchAreRefused() {
    assertThrows(PatternSyntaxException.class, () -> LogPatternWatcher.compile("(a)\\1"));
    assertThrows(PatternSyntaxException.class, () -> LogPatternWatcher.compile("a(?=b)"));
    assertThrows(PatternSyntaxException.class, () -> LogPatternWatcher.compile("(unclosed"));
    assertTrue(LogPatternWatcher.compile("^ERROR ").matcher("ERROR boom").find());
  }

  @Test
  void aLineThatTakesLongerThanTheBoundIsNotMatched() {
    var pattern = LogPatternWatcher.compile("(x+x+)+y");
    String line = "x".repeat(1 << 20);

    assertTrue(LogPatternWatcher.find(pattern, line, Duration.ofNanos(1)).isEmpty());
    assertEquals(
        java.util.Optional.of(true),
        LogPatternWatcher.find(pattern, "xxy", LogPatternWatcher.PER_LINE));
  }
}
