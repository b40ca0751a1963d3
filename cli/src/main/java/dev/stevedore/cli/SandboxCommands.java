package dev.stevedore.cli;

import dev.stevedore.client.Stevedore;
import dev.stevedore.job.JobSpec;
import dev.stevedore.sandbox.ExecRequest;
import dev.stevedore.sandbox.ExecResult;
import dev.stevedore.sandbox.SandboxSpec;
import dev.stevedore.sandbox.SandboxView;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code stevedore sandbox …}: long-lived containers driven command by command. */
@Command(
    name = "sandbox",
    description = "Creates sandboxes, runs commands in them, copies files in and out, ends them.",
    subcommands = {
      SandboxCommands.Create.class,
      SandboxCommands.Exec.class,
      SandboxCommands.Copy.class,
      SandboxCommands.ListSandboxes.class,
      SandboxCommands.Status.class,
      SandboxCommands.Remove.class
    })
final class SandboxCommands {

  @Command(name = "create", description = "Creates a sandbox and prints its id once it is ready.")
  static final class Create extends Base implements Callable<Integer> {

    @Option(names = "--image", description = "The image (or --pool)")
    String image;

    @Option(names = "--pool", description = "Take a warm container of this pool")
    String pool;

    @Option(names = "--memory", paramLabel = "MB", description = "Memory limit in MiB")
    Integer memoryMb;

    @Option(names = "--cpus", description = "CPUs it may use")
    Double cpus;

    @Option(names = "--network", description = "none (the default) or a network the server allows")
    String network;

    @Option(
        names = {"-e", "--env"},
        paramLabel = "NAME=VALUE",
        description = "An environment variable of every command (repeatable)")
    Map<String, String> env = new LinkedHashMap<>();

    @Option(
        names = "--secret",
        paramLabel = "NAME=VALUE",
        description = "A secret variable of every command, never shown back (repeatable)")
    Map<String, String> secrets = new LinkedHashMap<>();

    @Option(
        names = "--idle-timeout",
        paramLabel = "SECONDS",
        description = "End it after this long without a command")
    Integer idleTimeoutSeconds;

    @Option(names = "--lifetime", paramLabel = "SECONDS", description = "End it after this long")
    Integer maxLifetimeSeconds;

    @Option(
        names = {"-l", "--label"},
        paramLabel = "NAME=VALUE",
        description = "A label (repeatable)")
    Map<String, String> labels = new LinkedHashMap<>();

    @Override
    public Integer call() {
      JobSpec.Resources resources =
          memoryMb == null && cpus == null ? null : new JobSpec.Resources(cpus, memoryMb, null);
      SandboxSpec spec =
          new SandboxSpec(
              image,
              pool,
              resources,
              network,
              env.isEmpty() ? null : env,
              secrets.isEmpty() ? null : secrets,
              idleTimeoutSeconds,
              maxLifetimeSeconds,
              labels.isEmpty() ? null : labels);
      SandboxView sandbox = connection().client().sandboxes().create(spec);
      if (connection().json) {
        connection().printer().json(sandbox);
      } else {
        System.out.println(sandbox.id());
      }
      return ExitCodes.OK;
    }
  }

  @Command(
      name = "exec",
      description = "Runs a command in a sandbox and exits with its exit code (124: timed out).")
  static final class Exec extends Base implements Callable<Integer> {

    @Parameters(index = "0", paramLabel = "SANDBOX", description = "The sandbox's id")
    String id;

    @Parameters(index = "1..*", paramLabel = "COMMAND", description = "The command and arguments")
    List<String> command = new ArrayList<>();

    @Option(
        names = {"-e", "--env"},
        paramLabel = "NAME=VALUE",
        description = "An environment variable (repeatable)")
    Map<String, String> env = new LinkedHashMap<>();

    @Option(
        names = {"-w", "--workdir"},
        paramLabel = "DIR",
        description = "Where it runs (default /workspace)")
    String workingDir;

    @Option(names = "--timeout", paramLabel = "SECONDS", description = "Kill it after this long")
    Integer timeoutSeconds;

    @Option(
        names = {"-i", "--stdin"},
        description = "Send this tool's standard input to the command (at most 64 KiB of text)")
    boolean stdin;

    @Override
    public Integer call() throws IOException {
      if (Main.commandOf(command).isEmpty()) {
        throw new IllegalArgumentException("name a command to run");
      }
      String input = stdin ? new String(System.in.readAllBytes(), StandardCharsets.UTF_8) : null;
      ExecResult result =
          connection()
              .client()
              .sandboxes()
              .exec(
                  id,
                  new ExecRequest(
                      Main.commandOf(command),
                      env.isEmpty() ? null : env,
                      workingDir,
                      input,
                      timeoutSeconds));
      if (connection().json) {
        connection().printer().json(result);
      } else {
        System.out.print(result.stdout() == null ? "" : result.stdout());
        System.out.flush();
        System.err.print(result.stderr() == null ? "" : result.stderr());
        if (result.stdoutTruncated() || result.stderrTruncated()) {
          System.err.println("stevedore: the output was cut at the server's limit");
        }
      }
      if (result.timedOut()) {
        return ExitCodes.JOB_TIMED_OUT;
      }
      return result.exitCode() == null ? ExitCodes.JOB_FAILED : result.exitCode();
    }
  }

  @Command(
      name = "cp",
      description = {
        "Copies a file into a sandbox or out of it.",
        "  stevedore sandbox cp data.csv SANDBOX:input/data.csv",
        "  stevedore sandbox cp SANDBOX:result.txt ./result.txt",
        "Paths in a sandbox are relative to its /workspace."
      })
  static final class Copy extends Base implements Callable<Integer> {

    @Parameters(index = "0", paramLabel = "FROM", description = "A local file, or SANDBOX:PATH")
    String from;

    @Parameters(index = "1", paramLabel = "TO", description = "SANDBOX:PATH, or a local file")
    String to;

    @Override
    public Integer call() throws IOException {
      Stevedore stevedore = connection().client();
      String[] remoteFrom = remote(from);
      String[] remoteTo = remote(to);
      if ((remoteFrom == null) == (remoteTo == null)) {
        throw new IllegalArgumentException("one side is SANDBOX:PATH, the other a local file");
      }
      if (remoteTo != null) {
        stevedore.upload(remoteTo[0], Path.of(from), remoteTo[1]);
      } else if ("-".equals(to)) {
        try (InputStream in = stevedore.sandboxes().read(remoteFrom[0], remoteFrom[1])) {
          in.transferTo(System.out);
          System.out.flush();
        }
      } else {
        stevedore.download(remoteFrom[0], remoteFrom[1], Path.of(to));
      }
      return ExitCodes.OK;
    }

    /** SANDBOX:PATH as its two parts; null for a local path. */
    private static String[] remote(String argument) {
      int colon = argument.indexOf(':');
      if (colon <= 0 || argument.startsWith("/") || argument.startsWith(".")) {
        return null;
      }
      String path = argument.substring(colon + 1).replaceFirst("^/workspace/", "");
      return new String[] {argument.substring(0, colon), path.replaceFirst("^/+", "")};
    }
  }

  @Command(name = "list", description = "Lists sandboxes, newest first.")
  static final class ListSandboxes extends Base implements Callable<Integer> {

    @Override
    public Integer call() {
      List<SandboxView> sandboxes = connection().client().sandboxes().list(null, null);
      Printer printer = connection().printer();
      if (printer.isJson()) {
        printer.json(sandboxes);
        return ExitCodes.OK;
      }
      List<List<Object>> rows = new ArrayList<>();
      for (SandboxView sandbox : sandboxes) {
        rows.add(
            List.of(
                sandbox.id(),
                sandbox.state(),
                sandbox.spec().image() == null ? "" : sandbox.spec().image(),
                sandbox.execCount(),
                Printer.text(sandbox.createdAt()),
                sandbox.endReason() == null ? "" : sandbox.endReason()));
      }
      printer.table(List.of("ID", "STATE", "IMAGE", "EXECS", "CREATED", "ENDED"), rows);
      return ExitCodes.OK;
    }
  }

  @Command(name = "status", description = "Shows a sandbox and its latest commands.")
  static final class Status extends Base implements Callable<Integer> {

    @Parameters(paramLabel = "SANDBOX", description = "The sandbox's id")
    String id;

    @Override
    public Integer call() {
      SandboxView sandbox = connection().client().sandboxes().get(id);
      Printer printer = connection().printer();
      if (printer.isJson()) {
        printer.json(sandbox);
        return ExitCodes.OK;
      }
      Map<String, Object> fields = new LinkedHashMap<>();
      fields.put("id", sandbox.id());
      fields.put("state", sandbox.state());
      fields.put("image", sandbox.spec().image());
      fields.put("pool", sandbox.spec().pool());
      fields.put("start", sandbox.start());
      fields.put("created", sandbox.createdAt());
      fields.put("ready", sandbox.readyAt());
      fields.put("ended", sandbox.endedAt());
      fields.put("end reason", sandbox.endReason());
      fields.put("commands", sandbox.execCount());
      printer.fields(fields);
      return ExitCodes.OK;
    }
  }

  @Command(name = "rm", description = "Ends sandboxes: their containers and files go.")
  static final class Remove extends Base implements Callable<Integer> {

    @Parameters(arity = "1..*", paramLabel = "SANDBOX", description = "The sandboxes' ids")
    List<String> ids;

    @Override
    public Integer call() {
      for (String id : ids) {
        connection().client().sandboxes().delete(id);
        if (!connection().json) {
          System.out.println(id);
        }
      }
      return ExitCodes.OK;
    }
  }
}
