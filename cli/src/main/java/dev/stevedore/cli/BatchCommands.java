package dev.stevedore.cli;

import dev.stevedore.batch.BatchRequest;
import dev.stevedore.batch.BatchView;
import dev.stevedore.client.Stevedore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code stevedore batch …}: batches of items run from one job template. */
@Command(
    name = "batch",
    description = "Submits, watches, stops and restarts batches.",
    subcommands = {
      BatchCommands.Submit.class,
      BatchCommands.Status.class,
      BatchCommands.ListBatches.class,
      BatchCommands.Stop.class,
      BatchCommands.Restart.class
    })
final class BatchCommands {

  /** The states a batch execution does not leave by itself. */
  private static final Set<String> SETTLED = Set.of("COMPLETED", "FAILED", "STOPPED", "ABANDONED");

  @Command(
      name = "submit",
      description = "Submits a batch (JSON, as the API takes it); prints its id.")
  static final class Submit extends Base implements Callable<Integer> {

    @Parameters(paramLabel = "FILE", description = "The batch as JSON: template, items, …")
    Path file;

    @Option(names = "--wait", description = "Print its progress until it ends")
    boolean await;

    @Override
    public Integer call() throws Exception {
      BatchRequest request = Json.READ.fromJson(Files.readString(file), BatchRequest.class);
      BatchView batch = connection().client().batches().submit(request);
      if (!await) {
        if (connection().json) {
          connection().printer().json(batch);
        } else {
          System.out.println(batch.id());
        }
        return ExitCodes.OK;
      }
      if (!connection().json) {
        System.err.println("batch " + batch.id());
      }
      return watch(connection(), batch.id());
    }
  }

  @Command(name = "status", description = "Shows a batch's progress.")
  static final class Status extends Base implements Callable<Integer> {

    @Parameters(paramLabel = "BATCH", description = "The batch's id")
    String id;

    @Option(names = "--wait", description = "Print its progress until it ends")
    boolean await;

    @Override
    public Integer call() throws InterruptedException {
      if (await) {
        return watch(connection(), id);
      }
      BatchView batch = connection().client().batches().get(id);
      if (connection().json) {
        connection().printer().json(batch);
      } else {
        System.out.println(progress(batch));
      }
      return ExitCodes.OK;
    }
  }

  @Command(name = "list", description = "Lists batches, newest first.")
  static final class ListBatches extends Base implements Callable<Integer> {

    @Option(names = "--limit", description = "At most this many (default 20, at most 100)")
    int limit = 20;

    @Override
    public Integer call() {
      List<BatchView> batches = connection().client().batches().list(limit);
      Printer printer = connection().printer();
      if (printer.isJson()) {
        printer.json(batches);
        return ExitCodes.OK;
      }
      List<List<Object>> rows = new ArrayList<>();
      for (BatchView batch : batches) {
        rows.add(
            List.of(
                batch.id(),
                batch.name() == null ? "" : batch.name(),
                batch.state(),
                batch.progress().succeeded() + "/" + batch.progress().total(),
                Printer.text(batch.createdAt())));
      }
      printer.table(List.of("ID", "NAME", "STATE", "DONE", "CREATED"), rows);
      return ExitCodes.OK;
    }
  }

  @Command(name = "stop", description = "Stops a batch at its next checkpoint.")
  static final class Stop extends Base implements Callable<Integer> {

    @Parameters(paramLabel = "BATCH", description = "The batch's id")
    String id;

    @Override
    public Integer call() {
      print(connection(), connection().client().batches().stop(id));
      return ExitCodes.OK;
    }
  }

  @Command(
      name = "restart",
      description = "Runs a stopped or failed batch on from its last checkpoint.")
  static final class Restart extends Base implements Callable<Integer> {

    @Parameters(paramLabel = "BATCH", description = "The batch's id")
    String id;

    @Override
    public Integer call() {
      print(connection(), connection().client().batches().restart(id));
      return ExitCodes.OK;
    }
  }

  private static void print(Connection connection, BatchView batch) {
    if (connection.json) {
      connection.printer().json(batch);
    } else {
      System.out.println(progress(batch));
    }
  }

  /**
   * Prints a line whenever the batch's progress changes, until it settles; answers 0 when it
   * completed, 126 when it failed, 130 when it was stopped or abandoned.
   */
  static int watch(Connection connection, String id) throws InterruptedException {
    Stevedore stevedore = connection.client();
    String last = null;
    while (true) {
      BatchView batch = stevedore.batches().get(id);
      String line = progress(batch);
      boolean settled = SETTLED.contains(batch.state());
      if (!line.equals(last) && (!connection.json || settled)) {
        if (connection.json) {
          connection.printer().json(batch);
        } else {
          System.out.println(line);
        }
        last = line;
      }
      if (settled) {
        return switch (batch.state()) {
          case "COMPLETED" -> ExitCodes.OK;
          case "FAILED" -> ExitCodes.JOB_FAILED;
          default -> ExitCodes.JOB_CANCELLED;
        };
      }
      Thread.sleep(1000); // the API has no long poll for batches; once a second is cheap
    }
  }

  static String progress(BatchView batch) {
    BatchView.Progress p = batch.progress();
    return String.format(
        "%s %s: %d/%d succeeded, %d failed, %d skipped, %d running, %d left%s",
        batch.id(),
        batch.state(),
        p.succeeded(),
        p.total(),
        p.failed(),
        p.skipped(),
        p.running(),
        p.left(),
        p.secondsLeft() == null ? "" : " (about " + p.secondsLeft() + " s to go)");
  }
}
