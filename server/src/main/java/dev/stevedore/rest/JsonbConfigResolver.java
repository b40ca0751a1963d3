package dev.stevedore.rest;

import jakarta.json.bind.Jsonb;
import jakarta.json.bind.JsonbBuilder;
import jakarta.json.bind.JsonbConfig;
import jakarta.ws.rs.ext.ContextResolver;
import jakarta.ws.rs.ext.Provider;

/**
 * JSON binding for the API. Unknown properties in a request are refused rather than ignored: a
 * misspelt limit such as {@code "memoryMB"} must not silently fall back to the default.
 */
@Provider
public class JsonbConfigResolver implements ContextResolver<Jsonb> {

  /** The API's JSON binding, also for JSON that arrives in a part of a multipart request. */
  public static final Jsonb JSONB =
      JsonbBuilder.create(
          new JsonbConfig()
              .setProperty("jsonb.fail-on-unknown-properties", true)
              .withFormatting(false));

  @Override
  public Jsonb getContext(Class<?> type) {
    return JSONB;
  }
}
