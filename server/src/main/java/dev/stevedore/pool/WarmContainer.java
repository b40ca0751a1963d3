package dev.stevedore.pool;

import dev.stevedore.core.JobId;
import java.nio.file.Path;
import java.time.Instant;

/** One container of a pool on this node, as the node knows it. Guarded by {@link WarmPools}. */
final class WarmContainer {

  enum State {
    /** Being created and started, or running its init. */
    STARTING,
    /** Ready and free. */
    WARM,
    /** Taken by a job. */
    BUSY,
    /** Being emptied between two jobs, then made warm again. */
    RESETTING,
    /** Being removed. */
    RETIRING
  }

  final String name;
  final String pool;
  final int revision;
  final Path dir;

  /** A container of the pool's size; a cold one is made for one job and goes with it. */
  final boolean counted;

  State state = State.STARTING;

  /** The tenant whose jobs it served; null while it has served none. */
  String tenant;

  int uses;
  Instant since = Instant.now();
  JobId job;
  volatile boolean interrupted;

  WarmContainer(String name, String pool, int revision, Path dir, boolean counted) {
    this.name = name;
    this.pool = pool;
    this.revision = revision;
    this.dir = dir;
    this.counted = counted;
  }

  /** Bound at /workspace, with in/ and out/ bound within it: read-only to a job. */
  Path workDir() {
    return dir.resolve("work");
  }

  Path inDir() {
    return dir.resolve("in");
  }

  Path outDir() {
    return dir.resolve("out");
  }
}
