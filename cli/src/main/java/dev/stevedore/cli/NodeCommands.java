package dev.stevedore.cli;

import dev.stevedore.node.NodeView;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code stevedore nodes …}: the installation's nodes, and draining one (operators). */
@Command(
    name = "nodes",
    description = "Lists the nodes; drains and undrains one (operators).",
    subcommands = {
      NodeCommands.ListNodes.class,
      NodeCommands.Drain.class,
      NodeCommands.Undrain.class
    })
final class NodeCommands {

  @Command(name = "list", description = "Lists the nodes with their state, slots and load.")
  static final class ListNodes extends Base implements Callable<Integer> {

    @Override
    public Integer call() {
      List<NodeView> nodes = connection().client().nodes().list();
      Printer printer = connection().printer();
      if (printer.isJson()) {
        printer.json(nodes);
        return ExitCodes.OK;
      }
      List<List<Object>> rows = new ArrayList<>();
      for (NodeView node : nodes) {
        rows.add(
            List.of(
                node.name(),
                node.state(),
                node.running() + "/" + node.slots(),
                node.loadAverage() == null ? "" : node.loadAverage().get(0),
                Printer.text(node.heartbeatAt())));
      }
      printer.table(List.of("NAME", "STATE", "RUNNING", "LOAD", "HEARTBEAT"), rows);
      return ExitCodes.OK;
    }
  }

  @Command(name = "drain", description = "Stops a node claiming new work; its jobs finish.")
  static final class Drain extends Base implements Callable<Integer> {

    @Parameters(paramLabel = "NODE", description = "The node's name")
    String name;

    @Override
    public Integer call() {
      print(connection(), connection().client().nodes().drain(name));
      return ExitCodes.OK;
    }
  }

  @Command(name = "undrain", description = "Lets a drained node claim work again.")
  static final class Undrain extends Base implements Callable<Integer> {

    @Parameters(paramLabel = "NODE", description = "The node's name")
    String name;

    @Override
    public Integer call() {
      print(connection(), connection().client().nodes().undrain(name));
      return ExitCodes.OK;
    }
  }

  private static void print(Connection connection, NodeView node) {
    if (connection.json) {
      connection.printer().json(node);
    } else {
      System.out.println(node.name() + " " + node.state());
    }
  }
}
