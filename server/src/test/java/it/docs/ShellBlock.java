package it.docs;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A shell code block of a Markdown document: fenced as {@code sh}, {@code bash} or {@code shell}.
 *
 * @param document the document's name, as in test names and messages
 * @param line the line of its opening fence, counted from 1
 * @param code the lines between its fences
 * @param notRun the reason of its {@code <!-- not run: … -->} marker, or null if it runs
 */
record ShellBlock(String document, int line, String code, String notRun) {

  private static final Set<String> SHELLS = Set.of("sh", "bash", "shell");
  private static final Pattern FENCE = Pattern.compile("^```\\s*([A-Za-z0-9_+-]*)\\s*$");
  private static final Pattern NOT_RUN = Pattern.compile("^<!--\\s*not run:(.*)-->\\s*$");

  /** The first line of its code, for test names and messages. */
  String firstLine() {
    String first = code.lines().filter(l -> !l.isBlank()).findFirst().orElse("").strip();
    return first.length() > 60 ? first.substring(0, 59) + "…" : first;
  }

  /**
   * The shell blocks of a document, in order. A {@code not run} marker that is not directly above a
   * shell block, or that gives no reason, is an error: reader and test must agree.
   */
  static List<ShellBlock> read(Path file, String document) throws IOException {
    List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
    List<ShellBlock> blocks = new ArrayList<>();
    for (int i = 0; i < lines.size(); i++) {
      Matcher marker = NOT_RUN.matcher(lines.get(i));
      if (marker.matches()) {
        Matcher next = i + 1 < lines.size() ? FENCE.matcher(lines.get(i + 1)) : null;
        if (next == null || !next.matches() || !SHELLS.contains(next.group(1))) {
          throw new IllegalStateException(
              document + ":" + (i + 1) + ": a not-run marker must be directly above a shell block");
        }
        if (marker.group(1).isBlank()) {
          throw new IllegalStateException(
              document + ":" + (i + 1) + ": a not-run marker needs a reason");
        }
      }
      Matcher fence = FENCE.matcher(lines.get(i));
      if (!fence.matches()) {
        continue;
      }
      int open = i;
      StringBuilder code = new StringBuilder();
      for (i++; i < lines.size() && !lines.get(i).matches("^```\\s*$"); i++) {
        code.append(lines.get(i)).append('\n');
      }
      if (i == lines.size()) {
        throw new IllegalStateException(document + ":" + (open + 1) + ": an unclosed code block");
      }
      if (SHELLS.contains(fence.group(1))) {
        Matcher above = open > 0 ? NOT_RUN.matcher(lines.get(open - 1)) : null;
        String notRun = above != null && above.matches() ? above.group(1).strip() : null;
        blocks.add(new ShellBlock(document, open + 1, code.toString(), notRun));
      }
    }
    return blocks;
  }
}
