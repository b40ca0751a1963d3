package dev.stevedore.runtime;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

class SandboxPolicyTest {

  private static EngineInfo engineWith(String... runtimes) {
    return new EngineInfo(
        "engine-1",
        "unix:///var/run/docker.sock",
        "20.10",
        "1.41",
        "linux",
        Set.of(runtimes),
        "overlay2",
        0,
        0);
  }

  private static SandboxPolicy policy(String runtime) {
    SandboxPolicy policy = new SandboxPolicy();
    policy.runtime = Optional.ofNullable(runtime);
    return policy;
  }

  @Test
  void configuredRuntimeMustBeOfferedByTheEngine() {
    assertDoesNotThrow(() -> policy("runsc").verify(engineWith("runc", "runsc")));
    assertThrows(IllegalStateException.class, () -> policy("runsc").verify(engineWith("runc")));
    assertThrows(IllegalStateException.class, () -> policy("runsc").verify(null));
  }

  @Test
  void withoutAConfiguredRuntimeAnyEngineWill() {
    assertDoesNotThrow(() -> policy(null).verify(engineWith("runc")));
    assertDoesNotThrow(() -> policy("  ").verify(null));
  }
}
