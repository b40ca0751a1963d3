package dev.stevedore.cli;

import java.io.PrintStream;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Prints answers: as JSON for scripts ({@code --json}), or as short text for people. */
final class Printer {

  private static final DateTimeFormatter LOCAL =
      DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss").withZone(ZoneId.systemDefault());

  private final boolean json;
  private final PrintStream out = System.out;

  Printer(boolean json) {
    this.json = json;
  }

  boolean isJson() {
    return json;
  }

  /** The answer as JSON, one document. */
  void json(Object answer) {
    out.println(Json.PRETTY.toJson(answer));
  }

  /** Name: value lines, nulls left out. */
  void fields(Map<String, Object> fields) {
    int width = fields.keySet().stream().mapToInt(String::length).max().orElse(0) + 1;
    fields.forEach(
        (name, value) -> {
          if (value != null && !"".equals(value)) {
            out.printf("%-" + width + "s %s%n", name + ":", text(value));
          }
        });
  }

  /** A table with a header line, columns as wide as their widest cell. */
  void table(List<String> header, List<List<Object>> rows) {
    List<List<String>> cells = new ArrayList<>();
    cells.add(header);
    rows.forEach(row -> cells.add(row.stream().map(Printer::text).toList()));
    int[] widths = new int[header.size()];
    for (List<String> row : cells) {
      for (int i = 0; i < row.size(); i++) {
        widths[i] = Math.max(widths[i], row.get(i).length());
      }
    }
    for (List<String> row : cells) {
      StringBuilder line = new StringBuilder();
      for (int i = 0; i < row.size(); i++) {
        line.append(i == row.size() - 1 ? row.get(i) : pad(row.get(i), widths[i] + 2));
      }
      out.println(line.toString().stripTrailing());
    }
  }

  static String text(Object value) {
    if (value == null) {
      return "";
    }
    if (value instanceof Instant instant) {
      return LOCAL.format(instant.truncatedTo(ChronoUnit.SECONDS));
    }
    return value.toString();
  }

  private static String pad(String text, int width) {
    return text.length() >= width ? text : text + " ".repeat(width - text.length());
  }
}
