package dev.stevedore.logs;

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
}
