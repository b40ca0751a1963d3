package dev.stevedore.webhooks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class TargetGuardTest {

  private static TargetGuard guard(boolean allowHttp, List<String> allowed) {
    TargetGuard guard = new TargetGuard();
    guard.allowHttp = allowHttp;
    guard.allowedTargets = Optional.of(allowed);
    return guard;
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "https://127.0.0.1/",
        "https://[::1]/",
        "https://169.254.169.254/latest/meta-data",
        "https://10.0.0.1/",
        "https://172.16.5.4/",
        "https://192.168.1.1/",
        "https://100.64.0.1/",
        "https://0.0.0.0/",
        "https://[fd00:ec2::254]/",
        "https://[::ffff:127.0.0.1]/",
        "https://[::ffff:7f00:1]/",
        "https://0x7f000001/",
        "https://localhost/",
        "https://user@example.com/",
        "http://93.184.216.34/",
        "ftp://93.184.216.34/",
        "not a url"
      })
  void internalAddressesAndPlainHttpAreRefusedByDefault(String url) {
    assertTrue(guard(false, List.of()).refusal(url).isPresent(), url);
  }

  @Test
  void publicHttpsIsAllowed() {
    assertEquals(Optional.empty(), guard(false, List.of()).refusal("https://93.184.216.34/hook"));
  }

  @Test
  void theAllowlistOpensExactlyOneHostAndPort() {
    TargetGuard guard = guard(true, List.of("127.0.0.1:39999"));
    assertEquals(Optional.empty(), guard.refusal("http://127.0.0.1:39999/hook"));
    assertTrue(guard.refusal("http://127.0.0.1/").isPresent());
    assertTrue(guard.refusal("http://127.0.0.1:39998/").isPresent());
    assertTrue(guard.refusal("http://[::1]:39999/").isPresent());
  }
}
