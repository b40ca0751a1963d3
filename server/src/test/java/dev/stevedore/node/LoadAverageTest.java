package dev.stevedore.node;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class LoadAverageTest {

  @Test
  void startsAtTheFirstSample() {
    LoadAverage load = new LoadAverage();
    assertArrayEquals(new double[] {0, 0, 0}, load.values());
    load.add(1.5, 5);
    assertArrayEquals(new double[] {1.5, 1.5, 1.5}, load.values());
  }

  @Test
  void aStepIsFollowedAsUnixFollowsIt() {
    LoadAverage load = new LoadAverage();
    load.add(0, 5);
    for (int second = 5; second <= 60; second += 5) {
      load.add(1, 5);
    }
    double[] values = load.values();
    // After one window the average has come 1 - 1/e of the way; after a fifth of one, 1 - e^-0.2.
    assertEquals(1 - Math.exp(-1), values[0], 1e-9);
    assertEquals(1 - Math.exp(-0.2), values[1], 1e-9);
    assertEquals(1 - Math.exp(-60.0 / 900), values[2], 1e-9);
  }

  @Test
  void unevenIntervalsWeighByTheirLength() {
    LoadAverage even = new LoadAverage();
    LoadAverage uneven = new LoadAverage();
    even.add(0, 5);
    uneven.add(0, 5);
    even.add(2, 5);
    even.add(2, 5);
    uneven.add(2, 10);
    assertArrayEquals(even.values(), uneven.values(), 1e-12);
  }
}
