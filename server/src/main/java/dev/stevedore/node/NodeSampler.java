package dev.stevedore.node;

import dev.stevedore.core.LogText;
import dev.stevedore.core.NodeAdmission;
import dev.stevedore.core.NodeIdentity;
import dev.stevedore.core.Schedules;
import dev.stevedore.core.UnavailableException;
import dev.stevedore.dispatch.Dispatcher;
import dev.stevedore.job.JobRepository;
import dev.stevedore.runtime.ContainerRuntime;
import dev.stevedore.runtime.EngineInfo;
import dev.stevedore.workspace.Workspaces;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileStore;
import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.logging.Logger;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import oshi.SystemInfo;
import oshi.hardware.CentralProcessor;
import oshi.hardware.GlobalMemory;

/**
 * Samples the node's resources in the background (CPU ticks, memory, the data directory's disk, the
 * engine's facts, the queue's length), so that the node status and the metrics answer from memory,
 * fast and cheap whatever the load. Only the counts of this node's own dispatcher are read live:
 * they cost nothing. (The readiness checks ask the engine, the database and the disk themselves, so
 * that they follow an outage at the next probe.)
 */
@ApplicationScoped
public class NodeSampler {

  private static final Logger LOG = Logger.getLogger(NodeSampler.class.getName());

  @Inject Workspaces workspaces;
  @Inject ContainerRuntime runtime;
  @Inject JobRepository jobs;
  @Inject Dispatcher dispatcher;
  @Inject NodeIdentity node;

  @Inject
  @ConfigProperty(name = "stevedore.node.sample-interval-seconds")
  int intervalSeconds;

  @Inject
  @ConfigProperty(name = "stevedore.health.min-free-disk-mb")
  long minFreeDiskMb;

  @Inject Schedules schedules;

  @Inject NodeAdmission admission;

  /** Load per CPU above which this node claims no new work; 0 for no ceiling. */
  @Inject
  @ConfigProperty(name = "stevedore.dispatch.max-load-per-cpu")
  double maxLoadPerCpu;

  private final LoadAverage load = new LoadAverage();
  private CentralProcessor processor;
  private GlobalMemory memory;
  private long[] previousTicks;
  private long previousTickNanos;
  private volatile Sample latest;

  /** The last hour's samples, oldest first; guarded by itself. */
  private final java.util.ArrayDeque<NodeHistory.Point> history = new java.util.ArrayDeque<>();

  /** One sampling of everything that is not read live. */
  private record Sample(
      Instant at,
      List<Double> osLoad,
      long memoryTotal,
      long memoryAvailable,
      long diskTotal,
      long diskFree,
      NodeStatus.Engine engine,
      Long queued) {}

  /**
   * Samples at once and then every {@code stevedore.node.sample-interval-seconds}, in the
   * background: the start-up does not wait for the first sample.
   */
  public void start() {
    schedules.withFixedDelay(
        "Sampling the node's resources",
        Duration.ZERO,
        Duration.ofSeconds(intervalSeconds),
        this::sampleNow);
  }

  /** The node's status from the last sample and the dispatcher's live counts. */
  public NodeStatus status() {
    Sample sample = latest;
    if (sample == null) {
      // Asked just after start-up: ask again.
      throw new UnavailableException(
          "node-not-sampled",
          "The node's resources are not sampled yet",
          "The server has just started; ask again in a few seconds");
    }
    int running = dispatcher.running();
    int slots = dispatcher.maxConcurrent();
    int free = Math.max(0, slots - running);
    double[] averages = load.values();
    int cpus = processor.getLogicalProcessorCount();
    boolean ready =
        sample.engine().reachable()
            && sample.queued() != null
            && sample.diskFree() >= minFreeDiskBytes();
    double capacity =
        ready
            ? Math.min(
                Math.min((double) free / slots, 1 - averages[0] / cpus),
                (double) sample.memoryAvailable() / sample.memoryTotal())
            : 0;
    return new NodeStatus(
        node.name(),
        sample.at(),
        round(Math.max(0, capacity)),
        new NodeStatus.Cpu(
            cpus, round(averages[0]), round(averages[1]), round(averages[2]), sample.osLoad()),
        new NodeStatus.Memory(sample.memoryTotal(), sample.memoryAvailable()),
        new NodeStatus.Disk(
            workspaces.dataDir().toString(),
            sample.diskTotal(),
            sample.diskFree(),
            minFreeDiskBytes()),
        sample.engine(),
        new NodeStatus.Jobs(running, sample.queued() == null ? 0 : sample.queued(), slots, free));
  }

  /** Queued jobs of every node, as last counted; 0 before the first count. */
  public long queued() {
    Sample sample = latest;
    return sample == null || sample.queued() == null ? 0 : sample.queued();
  }

  /** Bytes this server may still write on the data directory's file system, read now. */
  public long freeDiskBytes() {
    try {
      return dataStore().getUsableSpace();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public long minFreeDiskBytes() {
    return minFreeDiskMb * 1024 * 1024;
  }

  /** The capacity figure, 0 until the first sample. */
  public double capacity() {
    return latest == null ? 0 : status().capacity();
  }

  private void sampleNow() {
    if (processor == null) { // oshi's first use loads native bindings: off the start-up path
      SystemInfo system = new SystemInfo();
      processor = system.getHardware().getProcessor();
      memory = system.getHardware().getMemory();
    }
    latest = sample();
    NodeStatus now = status();
    admission.overloaded(
        maxLoadPerCpu > 0 && now.cpu().load1() / now.cpu().count() > maxLoadPerCpu);
    NodeHistory.Point point =
        new NodeHistory.Point(
            now.sampledAt(),
            now.cpu().load1(),
            now.memory().totalBytes() - now.memory().availableBytes(),
            now.memory().totalBytes(),
            now.disk().freeBytes(),
            now.jobs().running(),
            now.jobs().queued());
    synchronized (history) {
      history.addLast(point);
      Instant hourAgo = point.at().minus(Duration.ofHours(1));
      while (history.peekFirst().at().isBefore(hourAgo)) {
        history.removeFirst();
      }
    }
  }

  /** The samples of the last hour, oldest first. */
  public NodeHistory history() {
    synchronized (history) {
      return new NodeHistory(node.name(), intervalSeconds, List.copyOf(history));
    }
  }

  private Sample sample() {
    sampleCpu();
    double[] os = processor.getSystemLoadAverage(3);
    List<Double> osLoad =
        os[0] < 0 ? null : Arrays.stream(os).map(NodeSampler::round).boxed().toList();
    FileStore disk = dataStore();
    try {
      return new Sample(
          Instant.now(),
          osLoad,
          memory.getTotal(),
          memory.getAvailable(),
          disk.getTotalSpace(),
          disk.getUsableSpace(),
          engine(),
          countQueued());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Busy processors since the last sample (utilisation × processors) into the averages. */
  private void sampleCpu() {
    long now = System.nanoTime();
    if (previousTicks != null) {
      double busy =
          processor.getSystemCpuLoadBetweenTicks(previousTicks)
              * processor.getLogicalProcessorCount();
      load.add(busy, (now - previousTickNanos) / 1e9);
    }
    previousTicks = processor.getSystemCpuLoadTicks();
    previousTickNanos = now;
  }

  private NodeStatus.Engine engine() {
    try {
      EngineInfo info = runtime.info();
      return new NodeStatus.Engine(
          true,
          info.endpoint(),
          info.version(),
          info.apiVersion(),
          info.storageDriver(),
          info.containersRunning(),
          info.images(),
          null,
          info.id());
    } catch (RuntimeException e) {
      return new NodeStatus.Engine(
          false,
          null,
          null,
          null,
          null,
          null,
          null,
          LogText.escape(String.valueOf(e.getMessage())),
          null);
    }
  }

  private Long countQueued() {
    try {
      return jobs.countQueued();
    } catch (RuntimeException e) {
      LOG.fine(() -> "Counting the queue failed: " + e);
      return null; // the database does not answer: the node is not ready
    }
  }

  private FileStore dataStore() {
    try {
      return Files.getFileStore(workspaces.dataDir());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static double round(double value) {
    return Math.round(value * 1000) / 1000.0;
  }
}
