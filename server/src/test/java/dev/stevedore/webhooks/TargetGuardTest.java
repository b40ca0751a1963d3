package dev.stevedore.webhooks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.net.NetworkInterface;
import java.util.Collections;
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
        "https://[::127.0.0.1]/",
        "https://[::ffff:0:7f00:1]/",
        "https://[64:ff9b::7f00:1]/",
        "https://[64:ff9b::a9fe:a9fe]/",
        "https://[64:ff9b:1::5db8:d822]/",
        "https://[2002:7f00:1::]/",
        "https://[2002:c0a8:101::1]/",
        "https://[2001:0:5db8:d822:0:0:80ff:fffe]/",
        "https://[2001:0:a00:1::]/",
        "https://[2001:db8::1]/",
        "https://[100::1]/",
        "https://198.18.0.1/",
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

  @ParameterizedTest
  @ValueSource(
      strings = {
        "https://[2002:5db8:d822::1]/",
        "https://[64:ff9b::5db8:d822]/",
        "https://[2001:0:5db8:d822:0:0:a247:2bdd]/"
      })
  void ipv6FormsOfPublicIpv4AddressesAreAllowed(String url) {
    assertEquals(Optional.empty(), guard(false, List.of()).refusal(url), url);
  }

  @Test
  void thisMachinesOwnAddressesAreRefused() throws Exception {
    for (NetworkInterface nic : Collections.list(NetworkInterface.getNetworkInterfaces())) {
      for (InetAddress address : Collections.list(nic.getInetAddresses())) {
        assertTrue(TargetGuard.isOwn(address), address.toString());
      }
    }
    assertFalse(TargetGuard.isOwn(InetAddress.getByName("93.184.216.34")));
  }

  @Test
  void theRefusalNamesTheSettingsThatAllowATarget() {
    assertTrue(
        guard(false, List.of())
            .refusal("https://127.0.0.1/")
            .orElseThrow()
            .contains("STEVEDORE_WEBHOOKS_ALLOWED_TARGETS"));
    assertTrue(
        guard(false, List.of())
            .refusal("http://93.184.216.34/")
            .orElseThrow()
            .contains("STEVEDORE_WEBHOOKS_ALLOW_HTTP"));
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
