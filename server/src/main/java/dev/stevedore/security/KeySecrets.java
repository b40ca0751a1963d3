package dev.stevedore.security;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;

/**
 * The form of API keys: {@code sdk_} and 256 random bits, base64url. Keys carry that much entropy,
 * so a plain SHA-256 of the key is a safe thing to store and look up by: nothing short of the key
 * itself produces it.
 */
final class KeySecrets {

  static final String PREFIX = "sdk_";
  private static final SecureRandom RANDOM = new SecureRandom();

  private KeySecrets() {}

  static String generate() {
    byte[] bytes = new byte[32];
    RANDOM.nextBytes(bytes);
    return PREFIX + Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
  }

  static String hash(String key) {
    try {
      MessageDigest sha = MessageDigest.getInstance("SHA-256");
      return HexFormat.of().formatHex(sha.digest(key.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Compares two hashes in time that does not depend on where they differ. */
  static boolean sameHash(String a, String b) {
    return MessageDigest.isEqual(
        a.getBytes(StandardCharsets.US_ASCII), b.getBytes(StandardCharsets.US_ASCII));
  }

  /** What a listing shows of a key: enough to recognise it, useless to use it. */
  static String shownPrefix(String key) {
    return key.substring(0, Math.min(key.length(), PREFIX.length() + 6));
  }
}
