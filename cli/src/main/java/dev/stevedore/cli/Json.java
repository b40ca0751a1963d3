package dev.stevedore.cli;

import jakarta.json.bind.Jsonb;
import jakarta.json.bind.JsonbBuilder;
import jakarta.json.bind.JsonbConfig;

/**
 * The JSON binding of the tool: one for reading files, one for printing; they live as long as it.
 */
final class Json {

  static final Jsonb READ = JsonbBuilder.create();

  static final Jsonb PRETTY = JsonbBuilder.create(new JsonbConfig().withFormatting(true));

  private Json() {}
}
