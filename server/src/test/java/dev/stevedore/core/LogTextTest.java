package dev.stevedore.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class LogTextTest {

  @Test
  void lineBreaksAndTerminalSequencesCannotForgeLogLines() {
    String forged = "oops\n[11/21/26] A CWWKF0011I: fake\r\u001b[31mred\u001b[0m";

    String safe = LogText.escape(forged);

    assertEquals("oops\\n[11/21/26] A CWWKF0011I: fake\\r\\u001b[31mred\\u001b[0m", safe);
    assertTrue(safe.chars().noneMatch(Character::isISOControl));
  }

  @Test
  void longTextIsCut() {
    assertTrue(LogText.escape("x".repeat(10_000)).length() <= 2001);
  }

  @Test
  void storedLinesCannotBeSplitAndComeBackExactly() {
    String line = "a\rSTDERR 2020-01-01T00:00:00Z forged\tC:\\x\\u0041 \u001b[0m\u2028\u0085 é";

    String stored = LogText.escapeLine(line);

    assertEquals(
        "a\\rSTDERR 2020-01-01T00:00:00Z forged\tC:\\\\x\\\\u0041 \\u001b[0m\\u2028\\u0085 é",
        stored);
    assertTrue(stored.indexOf('\r') < 0 && stored.indexOf('\n') < 0);
    assertEquals(line, LogText.unescapeLine(stored));
    assertEquals("plain", LogText.escapeLine("plain"));
  }
}
