package dev.stevedore.job;

import jakarta.json.bind.Jsonb;
import jakarta.json.bind.JsonbBuilder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/** The stored form of a spec: JSON, and a digest of it to compare idempotent submissions. */
public final class JobSpecJson {

  private static final Jsonb JSONB = JsonbBuilder.create();

  private JobSpecJson() {}

  public static String write(JobSpec spec) {
    return JSONB.toJson(spec);
  }

  public static JobSpec read(String json) {
    return JSONB.fromJson(json, JobSpec.class);
  }

  static String digest(String json) {
    try {
      MessageDigest sha = MessageDigest.getInstance("SHA-256");
      return HexFormat.of().formatHex(sha.digest(json.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
