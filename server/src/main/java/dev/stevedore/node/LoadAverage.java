package dev.stevedore.node;

/**
 * Load averages over 1, 5 and 15 minutes computed the way Unix computes its own: each new sample
 * moves every average towards it by {@code 1 - exp(-interval / window)}. Works from any sampled
 * figure, so a node reports a load average also where the OS keeps none.
 */
final class LoadAverage {

  private static final double[] WINDOW_SECONDS = {60, 300, 900};

  private final double[] averages = new double[WINDOW_SECONDS.length];
  private boolean seeded;

  /** Adds a sample taken {@code intervalSeconds} after the previous one. */
  synchronized void add(double sample, double intervalSeconds) {
    if (!seeded) {
      // Start at the first sample instead of 0, so a fresh node does not look idle for minutes.
      java.util.Arrays.fill(averages, sample);
      seeded = true;
      return;
    }
    for (int i = 0; i < averages.length; i++) {
      double keep = Math.exp(-intervalSeconds / WINDOW_SECONDS[i]);
      averages[i] = averages[i] * keep + sample * (1 - keep);
    }
  }

  /** The 1, 5 and 15 minute averages; zeros before the first sample. */
  synchronized double[] values() {
    return averages.clone();
  }
}
