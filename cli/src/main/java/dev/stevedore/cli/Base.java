package dev.stevedore.cli;

import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** What every command shares: the connection options, given before or after its name. */
abstract class Base {

  @Spec CommandSpec spec;

  Connection connection() {
    return ((Main) spec.root().userObject()).connection;
  }
}
