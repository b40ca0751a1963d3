package dev.stevedore.security;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.stevedore.core.Role;
import java.util.Set;
import org.junit.jupiter.api.Test;

class AccessUnitsTest {

  @Test
  void rolesIncludeTheOnesBelowThem() {
    assertEquals(Set.of("viewer", "submitter", "operator", "admin"), Role.ADMIN.groups());
    assertEquals(Set.of("viewer", "submitter"), Role.SUBMITTER.groups());
    assertTrue(Role.OPERATOR.includes(Role.SUBMITTER));
    assertFalse(Role.VIEWER.includes(Role.SUBMITTER));
    assertEquals(Role.OPERATOR, Role.parse(" operator "));
  }

  @Test
  void keysAreLongRandomAndStoredOnlyAsTheirHash() {
    String a = KeySecrets.generate();
    String b = KeySecrets.generate();

    assertNotEquals(a, b);
    assertTrue(a.startsWith("sdk_"));
    assertEquals(4 + 43, a.length(), "256 bits, base64url");
    String hash = KeySecrets.hash(a);
    assertEquals(64, hash.length());
    assertFalse(hash.contains(a.substring(4)));
    assertTrue(KeySecrets.sameHash(hash, KeySecrets.hash(a)));
    assertFalse(KeySecrets.sameHash(hash, KeySecrets.hash(b)));
    assertEquals(a.substring(0, 10), KeySecrets.shownPrefix(a));
  }

  @Test
  void tokenBucketAllowsABurstThenTheRate() {
    TokenBucket bucket = new TokenBucket(3, 2);
    long t = 0;
    assertEquals(0, bucket.take(t));
    assertEquals(0, bucket.take(t));
    assertEquals(0, bucket.take(t));
    assertEquals(0.5, bucket.take(t), 1e-9, "the next token in half a second");
    assertEquals(0, bucket.take(t + 500_000_000L));
  }
}
