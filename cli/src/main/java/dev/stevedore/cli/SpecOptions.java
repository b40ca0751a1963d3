package dev.stevedore.cli;

import dev.stevedore.job.JobSpec;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** What {@code run} and {@code submit} make a job of: the image, its command and its settings. */
final class SpecOptions {

  @Parameters(
      index = "0",
      arity = "0..1",
      paramLabel = "IMAGE",
      description = "The image to run (may come from --spec instead)")
  String image;

  @Parameters(
      index = "1..*",
      paramLabel = "COMMAND",
      description = "The command and its arguments (after the image, or after --)")
  List<String> command = new ArrayList<>();

  @Option(
      names = "--spec",
      paramLabel = "FILE",
      description = "A job spec in JSON to start from; the options below replace its fields")
  Path spec;

  @Option(names = "--name", description = "A name for people")
  String name;

  @Option(
      names = {"-e", "--env"},
      paramLabel = "NAME=VALUE",
      description = "An environment variable (repeatable)")
  Map<String, String> env = new LinkedHashMap<>();

  @Option(
      names = "--secret",
      paramLabel = "NAME=VALUE",
      description = "A secret variable, never shown back (repeatable)")
  Map<String, String> secrets = new LinkedHashMap<>();

  @Option(
      names = {"-l", "--label"},
      paramLabel = "NAME=VALUE",
      description = "A label to find the job by (repeatable)")
  Map<String, String> labels = new LinkedHashMap<>();

  @Option(
      names = {"-f", "--file"},
      paramLabel = "PATH[:NAME]",
      description =
          "An input file, read-only in /workspace/in under its own name or NAME (repeatable)")
  List<String> files = new ArrayList<>();

  @Option(names = "--prompt", description = "The agent's prompt")
  String prompt;

  @Option(names = "--timeout", paramLabel = "SECONDS", description = "The job's deadline")
  Integer timeoutSeconds;

  @Option(names = "--memory", paramLabel = "MB", description = "Memory limit in MiB")
  Integer memoryMb;

  @Option(names = "--cpus", description = "CPUs the job may use")
  Double cpus;

  @Option(names = "--pids", description = "Most processes at once")
  Integer pids;

  @Option(names = "--network", description = "none (the default) or a network the server allows")
  String network;

  @Option(names = "--priority", description = "Higher runs first")
  Integer priority;

  @Option(names = "--attempts", description = "Attempts in all when it fails, the first included")
  Integer attempts;

  @Option(names = "--pool", description = "Run in a warm container of this pool")
  String pool;

  @Option(
      names = "--idempotency-key",
      paramLabel = "KEY",
      description = "Repeating a submission with the same key answers the first job")
  String idempotencyKey;

  /** The spec the options describe, on top of --spec when given. */
  JobSpec toSpec() {
    JobSpec base = spec == null ? null : read(spec);
    String theImage = image != null ? image : base == null ? null : base.image();
    if (theImage == null) {
      throw new IllegalArgumentException("name an image, or a spec with one (--spec)");
    }
    JobSpec.Resources resources = base == null ? null : base.resources();
    if (memoryMb != null || cpus != null || pids != null) {
      resources =
          new JobSpec.Resources(
              cpus != null ? cpus : resources == null ? null : resources.cpus(),
              memoryMb != null ? memoryMb : resources == null ? null : resources.memoryMb(),
              pids != null ? pids : resources == null ? null : resources.pids());
    }
    JobSpec.RetryPolicy retry = base == null ? null : base.retry();
    if (attempts != null) {
      retry =
          new JobSpec.RetryPolicy(
              attempts,
              retry == null ? null : retry.backoffSeconds(),
              retry == null ? null : retry.onExitCodes());
    }
    return new JobSpec(
        name != null ? name : base == null ? null : base.name(),
        theImage,
        !command.isEmpty() ? Main.commandOf(command) : base == null ? null : base.command(),
        prompt != null ? prompt : base == null ? null : base.prompt(),
        merged(base == null ? null : base.env(), env),
        merged(base == null ? null : base.secrets(), secrets),
        resources,
        timeoutSeconds != null ? timeoutSeconds : base == null ? null : base.timeoutSeconds(),
        priority != null ? priority : base == null ? null : base.priority(),
        retry,
        network != null ? network : base == null ? null : base.network(),
        merged(base == null ? null : base.labels(), labels),
        base == null ? null : base.callbacks(),
        pool != null ? pool : base == null ? null : base.pool());
  }

  /** The input files: the name each gets in the job, and where it is here. */
  Map<String, Path> inputs() {
    Map<String, Path> inputs = new LinkedHashMap<>();
    for (String file : files) {
      int colon = file.lastIndexOf(':');
      Path path = Path.of(colon > 0 ? file.substring(0, colon) : file);
      String as = colon > 0 ? file.substring(colon + 1) : path.getFileName().toString();
      if (!Files.isRegularFile(path)) {
        throw new IllegalArgumentException("there is no file " + path);
      }
      if (inputs.put(as, path) != null) {
        throw new IllegalArgumentException("two input files are named " + as);
      }
    }
    return inputs;
  }

  private static Map<String, String> merged(Map<String, String> base, Map<String, String> more) {
    if ((base == null || base.isEmpty()) && more.isEmpty()) {
      return base;
    }
    Map<String, String> all = new LinkedHashMap<>();
    if (base != null) {
      all.putAll(base);
    }
    all.putAll(more);
    return all;
  }

  static JobSpec read(Path file) {
    try {
      return Json.READ.fromJson(Files.readString(file), JobSpec.class);
    } catch (IOException e) {
      throw new IllegalArgumentException("cannot read " + file + ": " + e.getMessage());
    } catch (jakarta.json.bind.JsonbException e) {
      throw new IllegalArgumentException(
          "cannot read " + file + " as a job spec: " + e.getMessage());
    }
  }
}
