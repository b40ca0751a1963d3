package dev.stevedore.security;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class OriginPolicyTest {

  private final OriginPolicy sameOriginOnly = new OriginPolicy(Optional.empty());

  @Test
  void noOriginAndTheServersOwnArePassed() {
    assertTrue(sameOriginOnly.allows(null, "http", "localhost:9080"));
    assertTrue(sameOriginOnly.allows("http://localhost:9080", "http", "localhost:9080"));
    assertTrue(sameOriginOnly.allows("HTTPS://Stevedore.Example", "https", "stevedore.example"));
    assertTrue(
        sameOriginOnly.allows("https://stevedore.example", "https", "stevedore.example:443"));
  }

  @Test
  void otherOriginsOnlyWhenListed() {
    assertFalse(sameOriginOnly.allows("http://evil.example", "http", "localhost:9080"));
    assertFalse(sameOriginOnly.allows("http://localhost:9081", "http", "localhost:9080"));
    assertFalse(sameOriginOnly.allows("https://localhost:9080", "http", "localhost:9080"));
    assertFalse(sameOriginOnly.allows("null", "http", "localhost:9080"));
    assertFalse(sameOriginOnly.allows("http://evil.example", "http", null));

    OriginPolicy listed =
        new OriginPolicy(Optional.of(List.of(" https://console.example/", "http://ops:8080")));
    assertTrue(listed.allows("https://console.example", "http", "localhost:9080"));
    assertTrue(listed.allows("https://console.example:443", "http", "localhost:9080"));
    assertTrue(listed.allows("http://ops:8080", "http", "localhost:9080"));
    assertFalse(listed.allows("http://ops", "http", "localhost:9080"));
    assertFalse(listed.allows("https://console.example.evil", "http", "localhost:9080"));
  }
}
