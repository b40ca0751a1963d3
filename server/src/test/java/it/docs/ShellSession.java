package it.docs;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The shell a reader of one document types into, one bash process per block: each block's script
 * first sources a prelude (strict mode, and the variables, functions, aliases and directory the
 * blocks before it left), and ends by saving its own for the next block. A block's lines keep their
 * line numbers in the document, so bash's messages point at the document's lines.
 */
final class ShellSession {

  /** What one block did. */
  record Result(int exitCode, boolean timedOut, String stdout, String stderr) {}

  private static final String PRELUDE =
      """
      # Sourced first by every block of the document.
      set -euo pipefail
      shopt -s expand_aliases
      # An answer of 400 or above fails the block; the problem document is still shown.
      curl() { command curl --fail-with-body "$@"; }
      # Saves what a reader's shell would keep: variables, functions, aliases, the directory.
      __doc_save() {
        local __doc_v __doc_d __doc_flags __doc_x
        {
          for __doc_v in $(compgen -v); do
            case $__doc_v in
              BASH* | _ | PIPESTATUS | FUNCNAME | LINENO | RANDOM | SRANDOM | SECONDS | EPOCH* | \\
                HISTCMD | GROUPS | DIRSTACK | OPTIND | OPTERR | PWD | OLDPWD | SHLVL | __doc_*) continue ;;
            esac
            __doc_d=$(declare -p "$__doc_v" 2>/dev/null) || continue
            read -r __doc_x __doc_flags __doc_x <<<"$__doc_d"
            [[ $__doc_flags == *r* ]] || printf '%s\\n' "$__doc_d"
          done
          declare -f
          alias -p
          printf 'cd %q\\n' "$PWD"
        } >"$__doc_state.new"
        mv "$__doc_state.new" "$__doc_state"
      }
      """;

  private final String document;
  private final Path dir;
  private final Path scripts;
  private final Path state;
  private final Map<String, String> env;

  /**
   * A session in {@code dir}, emptied first, with the given files in it.
   *
   * @param document the document's file name: the scripts are named after it
   * @param env added to (and replacing) the inherited environment
   */
  ShellSession(String document, Path dir, Map<String, String> files, Map<String, String> env)
      throws IOException {
    this.document = document;
    this.dir = dir.toAbsolutePath();
    this.env = env;
    delete(this.dir);
    scripts = Files.createDirectories(this.dir.resolve(".doc-session"));
    state = scripts.resolve("state.sh");
    Files.writeString(state, "");
    Files.writeString(
        scripts.resolve("prelude.sh"),
        PRELUDE + "__doc_state=" + quote(state.toString()) + "\nsource \"$__doc_state\"\n");
    for (Map.Entry<String, String> file : files.entrySet()) {
      Path path = this.dir.resolve(file.getKey());
      Files.createDirectories(path.getParent());
      Files.writeString(path, file.getValue());
    }
  }

  /** Runs the block's code, which starts at the line after {@code fenceLine}. */
  Result run(int fenceLine, String code, Duration timeout)
      throws IOException, InterruptedException {
    StringBuilder script = new StringBuilder();
    script.append("source ").append(quote(scripts.resolve("prelude.sh").toString())).append('\n');
    script.append("\n".repeat(Math.max(0, fenceLine - 1)));
    script.append(code);
    if (!code.endsWith("\n")) {
      script.append('\n');
    }
    script.append("__doc_save\n");
    Path file = scripts.resolve(document);
    Files.writeString(file, script);
    Path out = scripts.resolve("stdout.txt");
    Path err = scripts.resolve("stderr.txt");
    ProcessBuilder builder =
        new ProcessBuilder("bash", "--noprofile", "--norc", file.toString())
            .directory(dir.toFile())
            .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()))
            .redirectOutput(out.toFile())
            .redirectError(err.toFile());
    builder
        .environment()
        .keySet()
        .removeIf(k -> k.startsWith("STEVEDORE_") || k.equals("BASH_ENV"));
    builder.environment().putAll(env);
    Process process = builder.start();
    boolean ended = process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
    if (!ended) {
      process.descendants().forEach(ProcessHandle::destroyForcibly);
      process.destroyForcibly();
      process.waitFor(10, TimeUnit.SECONDS);
    }
    return new Result(
        ended ? process.exitValue() : -1,
        !ended,
        Files.readString(out, StandardCharsets.UTF_8),
        Files.readString(err, StandardCharsets.UTF_8));
  }

  private static String quote(String s) {
    return "'" + s.replace("'", "'\\''") + "'";
  }

  private static void delete(Path dir) throws IOException {
    if (!Files.exists(dir)) {
      return;
    }
    try (var paths = Files.walk(dir)) {
      for (Path p : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
        Files.delete(p);
      }
    }
  }
}
