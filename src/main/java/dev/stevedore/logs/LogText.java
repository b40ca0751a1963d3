package dev.stevedore.logs;

/**
 * Makes text that a job controls safe for the server's own log: line breaks and terminal control
 * sequences are shown escaped, so a job cannot forge log lines or drive a terminal.
 */
public final class LogText {

  private static final int MAX = 2000;

  private LogText() {}

  public static String escape(String text) {
    if (text == null) {
      return null;
    }
    StringBuilder safe = new StringBuilder(Math.min(text.length(), MAX) + 16);
    for (int i = 0; i < text.length() && safe.length() < MAX; i++) {
      char c = text.charAt(i);
      switch (c) {
        case '\n' -> safe.append("\\n");
        case '\r' -> safe.append("\\r");
        case '\t' -> safe.append("\\t");
        case '\\' -> safe.append("\\\\");
        default -> {
          if (Character.isISOControl(c) || c == '\u2028' || c == '\u2029') {
            safe.append(String.format("\\u%04x", (int) c));
          } else {
            safe.append(c);
          }
        }
      }
    }
    return text.length() > MAX ? safe.append("…").toString() : safe.toString();
  }
}
