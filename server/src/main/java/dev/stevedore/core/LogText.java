package dev.stevedore.core;

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

  /**
   * A line of job output as it is stored and shown as text: a backslash is doubled, {@code \r} and
   * {@code \n} become {@code \\r} and {@code \\n}, other control characters (but tab) and the
   * Unicode line separators {@code \\uXXXX}. No reader can split the result, and {@link
   * #unescapeLine} gives the line back exactly.
   */
  public static String escapeLine(String text) {
    StringBuilder safe = null;
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      String replacement =
          switch (c) {
            case '\\' -> "\\\\";
            case '\r' -> "\\r";
            case '\n' -> "\\n";
            case '\t' -> null;
            default ->
                Character.isISOControl(c) || c == '\u2028' || c == '\u2029'
                    ? String.format("\\u%04x", (int) c)
                    : null;
          };
      if (replacement != null && safe == null) {
        safe = new StringBuilder(text.length() + 16).append(text, 0, i);
      }
      if (safe != null) {
        if (replacement != null) {
          safe.append(replacement);
        } else {
          safe.append(c);
        }
      }
    }
    return safe == null ? text : safe.toString();
  }

  /** The line {@link #escapeLine} was given. */
  public static String unescapeLine(String escaped) {
    if (escaped.indexOf('\\') < 0) {
      return escaped;
    }
    StringBuilder text = new StringBuilder(escaped.length());
    for (int i = 0; i < escaped.length(); i++) {
      char c = escaped.charAt(i);
      if (c != '\\' || i + 1 == escaped.length()) {
        text.append(c);
        continue;
      }
      char next = escaped.charAt(++i);
      switch (next) {
        case 'r' -> text.append('\r');
        case 'n' -> text.append('\n');
        case 'u' -> {
          Integer code = i + 4 < escaped.length() ? hex(escaped.substring(i + 1, i + 5)) : null;
          if (code != null) {
            text.append((char) code.intValue());
            i += 4;
          } else {
            text.append('\\').append(next);
          }
        }
        default -> text.append(next);
      }
    }
    return text.toString();
  }

  private static Integer hex(String digits) {
    try {
      return Integer.parseInt(digits, 16);
    } catch (NumberFormatException e) {
      return null;
    }
  }
}
