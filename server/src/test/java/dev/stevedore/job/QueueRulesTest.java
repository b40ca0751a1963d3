package dev.stevedore.job;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class QueueRulesTest {

  @Test
  void tenantsAtTheirRunningQuotaAreThoseWhoseActiveJobsReachIt() {
    Map<String, Integer> quotas = Map.of("idle", 0, "busy", 2, "room", 3);
    Map<String, Long> active = Map.of("busy", 2L, "room", 1L, "unlisted", 4L);

    assertEquals(Set.of("idle", "busy", "unlisted"), JobRepository.atQuota(active, quotas, 4));
  }

  @Test
  void aNamePrefixTakesWildcardsLiterally() {
    assertEquals("a\\_b%", JobRepository.likePrefix("a_b"));
    assertEquals("x\\%\\\\%", JobRepository.likePrefix("x%\\"));
  }
}
