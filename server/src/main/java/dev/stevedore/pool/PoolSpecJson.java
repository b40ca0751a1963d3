package dev.stevedore.pool;

import jakarta.json.bind.Jsonb;
import jakarta.json.bind.JsonbBuilder;

/** A pool spec as stored. */
final class PoolSpecJson {

  private static final Jsonb JSONB = JsonbBuilder.create();

  private PoolSpecJson() {}

  static String write(PoolSpec spec) {
    return JSONB.toJson(spec);
  }

  static PoolSpec read(String json) {
    return JSONB.fromJson(json, PoolSpec.class);
  }
}
