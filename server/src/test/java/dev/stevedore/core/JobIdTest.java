package dev.stevedore.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.UUID;
import org.junit.jupiter.api.Test;

class JobIdTest {

  @Test
  void newIdsAreVersion7UuidsThatSortByCreationTime() throws InterruptedException {
    JobId first = JobId.next();
    Thread.sleep(2); // the ids' order is by millisecond
    JobId second = JobId.next();

    UUID uuid = UUID.fromString(first.value());
    assertEquals(7, uuid.version());
    assertEquals(2, uuid.variant());
    assertTrue(first.compareTo(second) < 0);
  }

  @Test
  void onlyCanonicalUuidsAreIds() {
    JobId id = JobId.next();
    assertEquals(id, new JobId(id.value()));
    // The path parameter form (valueOf) answers 400 for these; the integration tests check it.
    assertThrows(IllegalArgumentException.class, () -> new JobId("12345"));
    assertThrows(IllegalArgumentException.class, () -> new JobId("../../etc/passwd"));
    assertThrows(IllegalArgumentException.class, () -> new JobId(id.value() + "0"));
    assertThrows(IllegalArgumentException.class, () -> new JobId(id.value().toUpperCase()));
  }
}
