package dev.stevedore.cli;

import dev.stevedore.client.StevedoreException;
import jakarta.ws.rs.ProcessingException;
import java.io.PrintWriter;
import java.util.logging.Level;
import java.util.logging.Logger;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code stevedore} command: a command per thing to do, each in the classes it names. */
@Command(
    name = "stevedore",
    mixinStandardHelpOptions = true,
    versionProvider = Main.Version.class,
    description = "Runs and manages jobs, batches and sandboxes on a Stevedore server.",
    footer = {
      "",
      "The server and key come from --url and --key, or STEVEDORE_URL and STEVEDORE_KEY, or the"
          + " config file (STEVEDORE_CONFIG, or ~/.config/stevedore/config: url=… and key=… lines).",
      "Exit status: 0 done; for run and wait the job's own exit code; 123 still running when"
          + " --timeout passed; 124 the job timed out; 125 the tool failed (usage, a refusal of"
          + " the server, no server); 126 the job failed without an exit code; 130 the job was"
          + " cancelled."
    },
    subcommands = {
      JobCommands.Run.class,
      JobCommands.Submit.class,
      JobCommands.Status.class,
      JobCommands.ListJobs.class,
      JobCommands.Logs.class,
      JobCommands.Wait.class,
      JobCommands.Cancel.class,
      JobCommands.Output.class,
      BatchCommands.class,
      SandboxCommands.class,
      NodeCommands.class,
      AdminCommands.Keys.class,
      AdminCommands.Tenants.class,
      CommandLine.HelpCommand.class
    })
public final class Main implements Runnable {

  /** Held here: java.util.logging keeps loggers only weakly. */
  private static final Logger QUIET = Logger.getLogger("org.apache.cxf");

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @CommandLine.Mixin Connection connection;

  @Override
  public void run() {
    throw new CommandLine.ParameterException(spec.commandLine(), "Name a command.");
  }

  public static void main(String[] args) {
    System.exit(execute(args));
  }

  /** Runs one command line and answers its exit status. */
  public static int execute(String... args) {
    QUIET.setLevel(Level.OFF); // the client library's own log would only repeat what is said here
    CommandLine line = new CommandLine(new Main());
    // What follows the image of run and submit is the job's command, options included.
    line.getSubcommands().get("run").setStopAtPositional(true);
    line.getSubcommands().get("submit").setStopAtPositional(true);
    line.getSubcommands().get("sandbox").getSubcommands().get("exec").setStopAtPositional(true);
    line.setExecutionExceptionHandler(Main::failed);
    line.setParameterExceptionHandler(
        (e, arguments) -> {
          PrintWriter err = e.getCommandLine().getErr();
          err.println("stevedore: " + e.getMessage());
          err.println("See '" + e.getCommandLine().getCommandSpec().qualifiedName() + " --help'.");
          return ExitCodes.FAILURE;
        });
    return line.execute(args);
  }

  /** A failure while running a command: said on standard error in one or a few lines. */
  private static int failed(Exception e, CommandLine line, CommandLine.ParseResult parsed) {
    PrintWriter err = line.getErr();
    if (e instanceof StevedoreException refused) {
      err.println("stevedore: " + refused.getMessage());
    } else if (e instanceof ProcessingException unreachable) {
      Throwable cause = unreachable.getCause() == null ? unreachable : unreachable.getCause();
      err.println("stevedore: cannot reach the server: " + cause.getMessage());
    } else if (e instanceof IllegalArgumentException || e instanceof java.io.UncheckedIOException) {
      err.println("stevedore: " + e.getMessage());
    } else {
      err.println("stevedore: " + e);
    }
    return ExitCodes.FAILURE;
  }

  /**
   * The command that follows an image or a sandbox: options after the first positional argument
   * belong to it, so a {@code --} there is the user's separator, not part of the command.
   */
  static java.util.List<String> commandOf(java.util.List<String> arguments) {
    return !arguments.isEmpty() && arguments.get(0).equals("--")
        ? java.util.List.copyOf(arguments.subList(1, arguments.size()))
        : java.util.List.copyOf(arguments);
  }

  /** The version from the jar's manifest. */
  static final class Version implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
      String version = Main.class.getPackage().getImplementationVersion();
      return new String[] {"stevedore " + (version == null ? "(development)" : version)};
    }
  }
}
