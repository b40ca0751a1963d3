package dev.stevedore.cli;

import dev.stevedore.client.Stevedore;
import dev.stevedore.job.JobPage;
import dev.stevedore.job.JobState;
import dev.stevedore.job.JobView;
import java.io.Console;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicBoolean;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** The job commands: run, submit, status, list, logs, wait, cancel, output. */
final class JobCommands {

  private JobCommands() {}

  @Command(
      name = "run",
      description = {
        "Submits a job, prints its output as it comes, and exits with the job's exit code.",
        "Ctrl-C asks whether to cancel the job (without a terminal it cancels it); answering no"
            + " leaves it running."
      })
  static final class Run extends Base implements Callable<Integer> {
    @Mixin SpecOptions options;

    @Override
    public Integer call() {
      Stevedore stevedore = connection().client();
      JobView job = stevedore.submit(options.toSpec(), options.inputs(), options.idempotencyKey);
      if (!connection().json) {
        System.err.println("job " + job.id() + " " + job.state());
      }
      AtomicBoolean ended = new AtomicBoolean();
      Thread interrupted = new Thread(() -> onInterrupt(stevedore, job.id(), ended));
      Runtime.getRuntime().addShutdownHook(interrupted);
      JobView last =
          stevedore.follow(
              job.id(),
              line -> {
                PrintStream to = line.isStderr() ? System.err : System.out;
                to.println(line.text());
              });
      ended.set(true);
      if (connection().json) {
        connection().printer().json(last);
      } else if (last.state() != JobState.SUCCEEDED) {
        System.err.println("job " + last.id() + " " + describeEnd(last));
      }
      return ExitCodes.of(last);
    }

    /** On Ctrl-C or SIGTERM before the job's end: cancel it, asking first at a terminal. */
    private static void onInterrupt(Stevedore stevedore, String id, AtomicBoolean ended) {
      if (ended.get()) {
        return;
      }
      Console console = System.console();
      if (console != null) {
        String answer = console.readLine("%nCancel job %s? [y/N] ", id);
        if (answer == null || !answer.trim().toLowerCase(java.util.Locale.ROOT).startsWith("y")) {
          System.err.println("job " + id + " goes on; follow it with: stevedore logs -f " + id);
          return;
        }
      }
      try {
        JobView cancelled = stevedore.jobs().cancel(id);
        System.err.println("job " + id + " " + cancelled.state());
      } catch (RuntimeException e) {
        System.err.println("stevedore: could not cancel job " + id + ": " + e.getMessage());
      }
    }
  }

  @Command(name = "submit", description = "Submits a job and prints its id.")
  static final class Submit extends Base implements Callable<Integer> {
    @Mixin SpecOptions options;

    @Override
    public Integer call() {
      JobView job =
          connection().client().submit(options.toSpec(), options.inputs(), options.idempotencyKey);
      if (connection().json) {
        connection().printer().json(job);
      } else {
        System.out.println(job.id());
      }
      return ExitCodes.OK;
    }
  }

  @Command(name = "status", description = "Shows a job.")
  static final class Status extends Base implements Callable<Integer> {

    @Parameters(paramLabel = "JOB", description = "The job's id")
    String id;

    @Override
    public Integer call() {
      show(connection(), connection().client().jobs().get(id));
      return ExitCodes.OK;
    }
  }

  @Command(name = "list", description = "Lists jobs, newest first.")
  static final class ListJobs extends Base implements Callable<Integer> {

    @Option(names = "--state", description = "Only jobs in this state (repeatable)")
    List<JobState> states;

    @Option(names = "--name", description = "Only jobs of this name")
    String name;

    @Option(
        names = {"-l", "--label"},
        paramLabel = "NAME=VALUE",
        description = "Only jobs with this label (repeatable)")
    List<String> labels;

    @Option(names = "--tenant", description = "Another tenant's jobs (administrators)")
    String tenant;

    @Option(names = "--limit", description = "At most this many (default 20, at most 500)")
    int limit = 20;

    @Override
    public Integer call() {
      JobPage page =
          connection().client().jobs().list(states, name, null, labels, limit, null, tenant, null);
      Printer printer = connection().printer();
      if (printer.isJson()) {
        printer.json(page);
        return ExitCodes.OK;
      }
      List<List<Object>> rows = new ArrayList<>();
      for (JobView job : page.items()) {
        rows.add(
            List.of(
                job.id(),
                job.name() == null ? "" : job.name(),
                job.state(),
                job.exitCode() == null ? "" : job.exitCode(),
                job.spec() == null ? "" : job.spec().image(),
                Printer.text(job.createdAt())));
      }
      printer.table(List.of("ID", "NAME", "STATE", "EXIT", "IMAGE", "CREATED"), rows);
      return ExitCodes.OK;
    }
  }

  @Command(name = "logs", description = "Prints a job's log; with -f, follows it to the job's end.")
  static final class Logs extends Base implements Callable<Integer> {

    @Parameters(paramLabel = "JOB", description = "The job's id")
    String id;

    @Option(
        names = {"-f", "--follow"},
        description = "Print lines as they are written, until the job ends")
    boolean follow;

    @Option(names = "--tail", paramLabel = "N", description = "Only the last N lines")
    Integer tail;

    @Option(names = "--attempt", paramLabel = "N", description = "Another attempt than the latest")
    Integer attempt;

    @Override
    public Integer call() {
      Stevedore stevedore = connection().client();
      if (!follow) {
        System.out.print(stevedore.jobs().logs(id, tail, null, attempt));
        System.out.flush();
        return ExitCodes.OK;
      }
      if (tail != null || attempt != null) {
        throw new IllegalArgumentException("--tail and --attempt are not taken with --follow");
      }
      stevedore.follow(
          id, line -> (line.isStderr() ? System.err : System.out).println(line.text()));
      return ExitCodes.OK;
    }
  }

  @Command(
      name = "wait",
      description = "Waits for a job's end and exits with its exit code (see 'Exit status').")
  static final class Wait extends Base implements Callable<Integer> {

    @Parameters(paramLabel = "JOB", description = "The job's id")
    String id;

    @Option(
        names = "--timeout",
        paramLabel = "DURATION",
        description = "Give up after this long: 90s, 10m, 2h (default: wait for ever)",
        converter = Durations.class)
    Duration timeout;

    @Override
    public Integer call() {
      Duration limit = timeout == null ? Duration.ofDays(3650) : timeout;
      JobView job = connection().client().awaitEnd(id, limit);
      if (connection().json) {
        connection().printer().json(job);
      } else {
        System.out.println(describeEnd(job));
      }
      return ExitCodes.of(job);
    }
  }

  @Command(name = "cancel", description = "Cancels a job that has not ended.")
  static final class Cancel extends Base implements Callable<Integer> {

    @Parameters(paramLabel = "JOB", description = "The job's id")
    String id;

    @Override
    public Integer call() {
      JobView job = connection().client().jobs().cancel(id);
      if (connection().json) {
        connection().printer().json(job);
      } else {
        System.out.println(job.id() + " " + job.state());
      }
      return ExitCodes.OK;
    }
  }

  @Command(
      name = "output",
      description = "Fetches a job's outputs (what it wrote to /workspace/out).")
  static final class Output extends Base implements Callable<Integer> {

    @Parameters(paramLabel = "JOB", description = "The job's id")
    String id;

    @Option(
        names = {"-o", "--output"},
        paramLabel = "FILE",
        description = "Write the zip archive here ('-' for standard output)")
    String zip;

    @Option(
        names = {"-x", "--extract"},
        paramLabel = "DIR",
        description = "Unpack the files into this directory instead")
    Path extractTo;

    @Override
    public Integer call() throws IOException {
      if ((zip == null) == (extractTo == null)) {
        throw new IllegalArgumentException("name one of -o FILE or -x DIR");
      }
      Stevedore stevedore = connection().client();
      if (extractTo != null) {
        try (InputStream in = stevedore.jobs().output(id)) {
          List<Path> written = Archives.unzip(in, extractTo);
          if (!connection().json) {
            written.forEach(path -> System.out.println(path));
          }
        }
      } else if ("-".equals(zip)) {
        try (InputStream in = stevedore.jobs().output(id)) {
          in.transferTo(System.out);
          System.out.flush();
        }
      } else {
        stevedore.downloadOutput(id, Path.of(zip));
      }
      return ExitCodes.OK;
    }
  }

  /** How a job ended, or where it stands, in a few words. */
  static String describeEnd(JobView job) {
    StringBuilder text = new StringBuilder(job.state().name());
    if (job.exitCode() != null) {
      text.append(" (exit ").append(job.exitCode()).append(')');
    }
    if (job.reason() != null && !job.reason().isBlank()) {
      text.append(": ").append(job.reason());
    }
    return text.toString();
  }

  static void show(Connection connection, JobView job) {
    Printer printer = connection.printer();
    if (printer.isJson()) {
      printer.json(job);
      return;
    }
    Map<String, Object> fields = new LinkedHashMap<>();
    fields.put("id", job.id());
    fields.put("name", job.name());
    fields.put("tenant", job.tenant());
    fields.put("state", job.state());
    fields.put("exit code", job.exitCode());
    fields.put("reason", job.reason());
    fields.put("waiting", job.waitingReason());
    fields.put("position", job.queuePosition());
    fields.put("attempt", job.attempt());
    fields.put("image", job.spec() == null ? null : job.spec().image());
    fields.put("command", job.spec() == null ? null : job.spec().command());
    fields.put("node", job.node());
    fields.put("created", job.createdAt());
    fields.put("started", job.startedAt());
    fields.put("finished", job.finishedAt());
    printer.fields(fields);
  }
}
