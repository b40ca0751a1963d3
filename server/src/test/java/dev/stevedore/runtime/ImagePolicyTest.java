package dev.stevedore.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ImagePolicyTest {

  private final ImagePolicy dockerHubOnly = new ImagePolicy(List.of());

  @ParameterizedTest
  @ValueSource(
      strings = {
        "alpine",
        "stevedore/agent:latest",
        "library/ubuntu:22.04",
        "docker.io/library/alpine:3.20",
        "index.docker.io/a/b",
        "a-b/c__d/e.f_g:tag-1.0",
        "alpine@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef",
        "alpine:3@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"
      })
  void acceptsDockerHubNames(String image) {
    assertTrue(dockerHubOnly.refusal(image).isEmpty(), image);
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "../../etc",
        "..",
        "/etc",
        "a//b",
        "Alpine",
        "alpine:",
        "alpine:-x",
        "alpine@sha256:xyz",
        "alpine@",
        "-alpine",
        "alpine-",
        "a/b/",
        ":tag",
        "a b",
        "a\u0000b",
        "regi_stry.io/a",
        "[::1]/a"
      })
  void refusesWhatIsNoReference(String image) {
    assertTrue(
        dockerHubOnly.refusal(image).orElseThrow().startsWith("is not a valid image reference"),
        image);
  }

  @Test
  void refusesTooLongReferences() {
    String image = "a".repeat(ImageName.MAX_LENGTH + 1);
    assertTrue(dockerHubOnly.refusal(image).isPresent());
    assertTrue(dockerHubOnly.refusal("a".repeat(ImageName.MAX_LENGTH)).isEmpty());
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "127.0.0.1:18080/x:y",
        "localhost/x",
        "localhost:5000/x",
        "10.0.0.7/x",
        "registry.example.com/x",
        "Registry.Example.com:443/x",
        "metadata.google.internal/x"
      })
  void refusesOtherRegistriesByDefault(String image) {
    String why = dockerHubOnly.refusal(image).orElseThrow();
    assertTrue(why.contains("does not allow"), why);
  }

  @Test
  void allowsConfiguredRegistriesExactly() {
    ImagePolicy policy = new ImagePolicy(List.of(" registry.example.com ", "10.0.0.7:5000"));
    assertTrue(policy.refusal("registry.example.com/team/x:1").isEmpty());
    assertTrue(policy.refusal("REGISTRY.example.com/team/x:1").isEmpty());
    assertTrue(policy.refusal("10.0.0.7:5000/x").isEmpty());
    assertTrue(policy.refusal("10.0.0.7/x").isPresent(), "another port is another registry");
    assertTrue(policy.refusal("registry.example.com:8443/x").isPresent());
  }

  @Test
  void splitsAReference() {
    ImageName name = ImageName.parse("reg.io:5000/a/b:1.0");
    assertEquals("reg.io:5000", name.registryHost());
    assertEquals("a/b", name.path());
    assertEquals("1.0", name.tag());
    assertNull(ImageName.parse("docker.io/a/b").registryHost());
    assertNull(ImageName.parse("a/b").registry());
  }
}
