package dev.stevedore.batch;

import jakarta.json.bind.Jsonb;
import jakarta.json.bind.JsonbBuilder;

/** The stored form of an item's overrides. */
final class ItemOverridesJson {

  private static final Jsonb JSONB = JsonbBuilder.create();

  private ItemOverridesJson() {}

  static String write(BatchRequest.ItemOverrides overrides) {
    return JSONB.toJson(overrides);
  }

  static BatchRequest.ItemOverrides read(String json) {
    return JSONB.fromJson(json, BatchRequest.ItemOverrides.class);
  }
}
