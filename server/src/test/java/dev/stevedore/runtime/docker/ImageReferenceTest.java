package dev.stevedore.runtime.docker;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ImageReferenceTest {

  @ParameterizedTest
  @CsvSource({
    "busybox, busybox, latest",
    "busybox:1.36, busybox, 1.36",
    "registry.local:5000/team/agent, registry.local:5000/team/agent, latest",
    "registry.local:5000/team/agent:v2, registry.local:5000/team/agent, v2",
    "agent@sha256:abc, agent, sha256:abc"
  })
  void splitsRepositoryFromTagOrDigest(String image, String repository, String tag) {
    assertEquals(new ImageReference(repository, tag), ImageReference.parse(image));
  }
}
