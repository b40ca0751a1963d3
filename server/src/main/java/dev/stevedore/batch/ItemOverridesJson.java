package dev.stevedore.batch;

import dev.stevedore.rest.JsonbConfigResolver;

/** The stored form of an item's overrides. */
final class ItemOverridesJson {

  private ItemOverridesJson() {}

  static String write(BatchRequest.ItemOverrides overrides) {
    return JsonbConfigResolver.JSONB.toJson(overrides);
  }

  static BatchRequest.ItemOverrides read(String json) {
    return JsonbConfigResolver.JSONB.fromJson(json, BatchRequest.ItemOverrides.class);
  }
}
