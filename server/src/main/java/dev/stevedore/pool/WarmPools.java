package dev.stevedore.pool;

import dev.stevedore.core.Ids;
import dev.stevedore.core.JobId;
import dev.stevedore.core.LogText;
import dev.stevedore.core.NodeIdentity;
import dev.stevedore.core.Schedules;
import dev.stevedore.runtime.ContainerLabels;
import dev.stevedore.runtime.ContainerRuntime;
import dev.stevedore.runtime.ContainerSpec;
import dev.stevedore.runtime.ContainerStatus;
import dev.stevedore.runtime.ExecSpec;
import dev.stevedore.runtime.ImageUnavailableException;
import dev.stevedore.runtime.LogSink;
import dev.stevedore.runtime.ManagedContainer;
import dev.stevedore.runtime.SandboxPolicy;
import dev.stevedore.workspace.Workspaces;
import jakarta.annotation.PreDestroy;
import jakarta.annotation.Resource;
import jakarta.enterprise.concurrent.ManagedExecutorService;
import jakarta.enterprise.concurrent.ManagedScheduledExecutorService;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.event.TransactionPhase;
import jakarta.inject.Inject;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.stream.Collectors;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * This node's containers of the warm pools: it starts them ahead of the jobs (create, start, init),
 * hands a free one to a job, empties or replaces it after the job, and keeps each pool at its size.
 *
 * <p>A pool container runs a small keeper as its main process and a job's command as an exec of its
 * own, as the sandbox user, with the job's environment; the job's inputs and outputs go through two
 * directories of the container's own that are bound into it where a job container has its
 * workspace. Containers carry the installation, node, pool and revision labels; a warm one also has
 * a marker file beside its directories, so that a restarted server adopts exactly the containers
 * that were warm and replaces those a job had taken.
 */
@ApplicationScoped
public class WarmPools {

  private static final Logger LOG = Logger.getLogger(WarmPools.class.getName());

  /** What the keeper leaves in the container's out/ once it has emptied the container. */
  static final String EMPTIED = ".stevedore-emptied";

  /**
   * The main process of a pool container. It waits, ends at SIGTERM, and at SIGUSR1 empties the
   * container between two jobs: as PID 1 it kills every other process (twice, so that none forked
   * in between survives; the kernel lets no process outlive SIGKILL), empties /tmp, and says so in
   * out/. A signal costs the engine far less than a command run in the container would.
   */
  static final List<String> KEEPER =
      List.of(
          "/bin/sh",
          "-c",
          "trap 'exit 0' TERM; trap 'kill -9 -1 2>/dev/null; kill -9 -1 2>/dev/null;"
              + " rm -rf /tmp/* /tmp/.[!.]* /tmp/..?* 2>/dev/null; : > "
              + Workspaces.CONTAINER_OUT
              + "/"
              + EMPTIED
              + "' USR1; while :; do sleep 3600 & wait; done");

  /** How long the keeper may take to empty a container before it is replaced instead. */
  private static final Duration EMPTYING_LIMIT = Duration.ofSeconds(10);

  private static final String MARKER = "warm";

  /** Beside the directories of a container handed over to a sandbox: the sandbox's id. */
  public static final String SANDBOX_MARKER = "sandbox";

  /** The layout of directories bound into pool containers; see {@link #containerSpec}. */
  private static final String LAYOUT = "2";

  /** Jobs remembered as having missed, so that a job that waits counts once. */
  private static final int MAX_REMEMBERED_MISSES = 10_000;

  private static final Duration MAX_BACKOFF = Duration.ofMinutes(5);

  @Inject ContainerRuntime runtime;
  @Inject PoolRepository repository;
  @Inject SandboxPolicy sandbox;
  @Inject NodeIdentity node;
  @Inject Workspaces workspaces;
  @Inject Schedules schedules;
  @Inject Event<PoolChanged> changes;

  @Inject
  @ConfigProperty(name = "stevedore.pools.check-interval-seconds")
  long checkIntervalSeconds;

  @Inject
  @ConfigProperty(name = "stevedore.jobs.cancel-grace-seconds")
  int cancelGraceSeconds;

  @Resource ManagedExecutorService executor;
  @Resource ManagedScheduledExecutorService scheduler;

  /** The definitions as last read: name to revision and spec. */
  private volatile Map<String, Definition> definitions = Map.of();

  private final Map<String, WarmContainer> containers = new LinkedHashMap<>();
  private final Map<String, Counters> counters = new ConcurrentHashMap<>();
  private final Map<JobId, WarmContainer> byJob = new ConcurrentHashMap<>();
  private final Set<JobId> missed = ConcurrentHashMap.newKeySet();
  private final AtomicBoolean passRequested = new AtomicBoolean();
  private volatile boolean started;
  private volatile boolean stopped;

  record Definition(int revision, PoolSpec spec) {}

  /** What a pool did on this node. */
  static final class Counters {
    final AtomicLong hits = new AtomicLong();
    final AtomicLong misses = new AtomicLong();
    final AtomicLong failed = new AtomicLong();
    volatile String lastFailure;
    int failuresInRow;
    Instant notBefore = Instant.MIN;
  }

  /** Adopts the containers that were warm before a restart, then keeps the pools filled. */
  public void start() {
    adopt();
    started = true;
    Duration interval = Duration.ofSeconds(checkIntervalSeconds);
    schedules.withFixedDelay("Warm pools", Duration.ZERO, interval, this::maintainQuietly);
  }

  @PreDestroy
  void stop() {
    stopped = true;
  }

  void onDefined(@Observes(during = TransactionPhase.AFTER_SUCCESS) PoolDefined defined) {
    requestPass();
  }

  // ---- jobs ----

  /**
   * Takes a warm container of the pool for the job, if one is free for its tenant. Empty when the
   * job should wait for one; a lease without a container when it starts cold or cannot run.
   */
  public Optional<PoolLease> reserve(String pool, String tenant, JobId job) {
    Definition definition = definition(pool);
    if (definition == null || !definition.spec().allows(tenant)) {
      return Optional.of(
          new PoolLease(
              pool, null, 0, job, tenant, null, "pool " + pool + " does not exist for its tenant"));
    }
    WarmContainer taken;
    WarmContainer stale = null;
    synchronized (this) {
      taken = freeFor(pool, definition.revision(), tenant).orElse(null);
      if (taken != null) {
        taken.state = WarmContainer.State.BUSY;
        taken.job = job;
        taken.uses++;
        byJob.put(job, taken);
      } else {
        // Only containers that served other tenants are free: one of them makes room for a
        // fresh container, since it may never serve this tenant.
        stale =
            containers.values().stream()
                .filter(c -> c.pool.equals(pool) && c.state == WarmContainer.State.WARM)
                .findFirst()
                .orElse(null);
        if (stale != null) {
          stale.state = WarmContainer.State.RETIRING;
        }
      }
    }
    if (stale != null) {
      WarmContainer retired = stale;
      executor.execute(() -> retire(retired, "free for another tenant's job"));
    }
    Counters count = counters(pool);
    if (taken != null) {
      count.hits.incrementAndGet();
      missed.remove(job);
      return Optional.of(
          new PoolLease(pool, definition.spec(), definition.revision(), job, tenant, taken, null));
    }
    if (missed.size() > MAX_REMEMBERED_MISSES) {
      missed.clear(); // jobs that waited and were then cancelled are never taken out otherwise
    }
    if (missed.add(job)) {
      count.misses.incrementAndGet();
      changed(pool, "miss", null);
    }
    if (definition.spec().waitsWhenBusy()) {
      return Optional.empty();
    }
    missed.remove(job);
    return Optional.of(
        new PoolLease(pool, definition.spec(), definition.revision(), job, tenant, null, null));
  }

  /** A container given away to a sandbox, and the directory that holds its bound directories. */
  public record HandedOver(String container, Path directory, boolean warm) {}

  /**
   * Gives a container of the pool to a sandbox for good: a warm one if one is free for the tenant,
   * which leaves the pool (the pool starts another in its place), else one started now outside the
   * pool's size, its init run. The container is the sandbox's to use and to remove; a marker beside
   * its directories names the sandbox, so that a restart leaves the container to the sandboxes.
   *
   * @throws IllegalArgumentException if the pool does not exist for the tenant
   */
  public HandedOver handOver(String pool, String tenant, String sandbox) {
    Definition definition = definition(pool);
    if (definition == null || !definition.spec().allows(tenant)) {
      throw new IllegalArgumentException("pool " + pool + " does not exist for its tenant");
    }
    WarmContainer taken;
    synchronized (this) {
      taken = freeFor(pool, definition.revision(), tenant).orElse(null);
      if (taken != null) {
        containers.remove(taken.name);
      }
    }
    Counters count = counters(pool);
    boolean warmOne = taken != null;
    if (warmOne) {
      count.hits.incrementAndGet();
      requestPass();
    } else {
      count.misses.incrementAndGet();
      changed(pool, "miss", null);
      String name = containerName(pool);
      taken = new WarmContainer(name, pool, definition.revision(), poolsDir().resolve(name), false);
      try {
        makeReady(taken, definition.spec());
      } catch (RuntimeException e) {
        removeQuietly(taken);
        throw e;
      }
    }
    try {
      Files.deleteIfExists(taken.dir.resolve(MARKER));
      Files.writeString(taken.dir.resolve(SANDBOX_MARKER), sandbox, StandardCharsets.UTF_8);
      // The sandbox user may write anywhere in its workspace; a job may not.
      Files.setPosixFilePermissions(taken.workDir(), PosixFilePermissions.fromString("rwxrwxrwx"));
    } catch (IOException e) {
      removeQuietly(taken);
      throw new IllegalStateException("Could not hand over " + taken.name + ": " + e.getMessage());
    }
    changed(pool, "sandbox", taken.name);
    return new HandedOver(taken.name, taken.dir, warmOne);
  }

  /** The directory that holds the bound directories of a pool's container (work, in, out). */
  public Path directoryOf(String container) {
    return poolsDir().resolve(container);
  }

  /**
   * A warm container of the pool's current revision that the tenant may take: one that served this
   * tenant already first, so that fresh ones stay for other tenants. The caller holds the lock.
   */
  private Optional<WarmContainer> freeFor(String pool, int revision, String tenant) {
    return containers.values().stream()
        .filter(c -> c.pool.equals(pool) && c.state == WarmContainer.State.WARM)
        .filter(c -> c.revision == revision)
        .filter(c -> c.tenant == null || c.tenant.equals(tenant))
        .min(Comparator.comparing((WarmContainer c) -> c.tenant == null));
  }

  /** Why a job of the pool would wait now, if it would: see {@link #reserve}. */
  public Optional<String> waitingFor(String pool, String tenant) {
    Definition definition = definition(pool);
    if (definition == null || !definition.spec().waitsWhenBusy()) {
      return Optional.empty();
    }
    synchronized (this) {
      return freeFor(pool, definition.revision(), tenant).isPresent()
          ? Optional.empty()
          : Optional.of("waiting for a warm container of pool " + pool + " to come free");
    }
  }

  /** The job was not claimed after all: its container is free again, untouched. */
  public void unreserve(PoolLease lease) {
    WarmContainer c = lease.container;
    if (c == null) {
      return;
    }
    synchronized (this) {
      byJob.remove(lease.job);
      c.job = null;
      c.uses--;
      c.state = WarmContainer.State.WARM;
    }
    counters(lease.pool).hits.decrementAndGet();
  }

  /**
   * Makes the lease's container ready for its job: a warm one is marked taken on disk (so that a
   * restart does not adopt it as warm) and emptied of any earlier inputs; for a cold lease a
   * container is started now, its init run, outside the pool's size.
   *
   * @return the directory the job's inputs go to
   */
  public Path prepare(PoolLease lease) {
    WarmContainer c = lease.container;
    if (c == null) {
      String name = containerName(lease.pool);
      c = new WarmContainer(name, lease.pool, lease.revision, poolsDir().resolve(name), false);
      c.state = WarmContainer.State.BUSY;
      c.job = lease.job;
      c.uses = 1;
      synchronized (this) {
        containers.put(c.name, c);
        byJob.put(lease.job, c);
      }
      lease.container = c;
      try {
        makeReady(c, lease.spec);
      } catch (RuntimeException e) {
        forget(c);
        removeQuietly(c);
        throw e;
      }
    } else {
      try {
        Files.deleteIfExists(c.dir.resolve(MARKER));
        emptyDirectory(c.inDir());
        emptyDirectory(c.outDir());
      } catch (IOException e) {
        throw new IllegalStateException("Could not prepare " + c.name + ": " + e.getMessage(), e);
      }
      changed(c.pool, "busy", c.name);
    }
    return c.inDir();
  }

  /** Where the job's command leaves its outputs. */
  public Path outDir(PoolLease lease) {
    return lease.container.outDir();
  }

  /**
   * Runs the job's command in its container as the sandbox user and returns its exit code; its
   * output goes to {@code sink}. Ends with a {@link
   * dev.stevedore.runtime.ContainerRefusedException} if the container ends meanwhile.
   */
  public int exec(PoolLease lease, List<String> command, Map<String, String> env, LogSink sink) {
    return runtime.exec(
        lease.container.name, new ExecSpec(command, env, sandbox.sandbox().user(), null), sink);
  }

  /**
   * Ends the job's command now, by stopping its container (a cancel, a deadline): the container is
   * replaced afterwards. False if no container of a pool runs the job.
   */
  public boolean interrupt(JobId job) {
    WarmContainer c = byJob.get(job);
    if (c == null) {
      return false;
    }
    c.interrupted = true;
    try {
      runtime.stop(c.name, Duration.ofSeconds(cancelGraceSeconds));
    } catch (RuntimeException e) {
      LOG.warning("Could not stop " + c.name + ": " + LogText.escape(e.getMessage()));
      removeQuietly(c);
    }
    return true;
  }

  /**
   * Whether the container ended on its own while the job ran, and how, if it did: counted as a
   * failure of the pool.
   */
  public Optional<String> endedUnasked(PoolLease lease) {
    Optional<String> ended = inspectEnd(lease);
    ended.ifPresent(
        why -> {
          failed(lease.pool, why);
          changed(lease.pool, "failed", lease.containerName());
        });
    return ended;
  }

  private Optional<String> inspectEnd(PoolLease lease) {
    WarmContainer c = lease.container;
    if (c.interrupted) {
      return Optional.empty();
    }
    try {
      Optional<ContainerStatus> status = runtime.status(c.name);
      if (status.isEmpty()) {
        return Optional.of("its container " + c.name + " of pool " + c.pool + " was removed");
      }
      if (!status.get().running()) {
        var exit = status.get().exit();
        String how =
            exit == null
                ? "stopped"
                : exit.oomKilled() ? "was OOM-killed" : "exited with code " + exit.exitCode();
        return Optional.of("its container " + c.name + " of pool " + c.pool + " " + how);
      }
      return Optional.empty();
    } catch (RuntimeException e) {
      return Optional.of("its container " + c.name + " could not be inspected: " + e.getMessage());
    }
  }

  /**
   * Whether the kernel killed a process of the container for its memory: read from the container's
   * own cgroup (v2 or v1), whose count only a replaced container resets.
   */
  public boolean oomKilled(PoolLease lease) {
    return oomKills(lease.container.name) > 0;
  }

  /**
   * How many processes of a running container the kernel has killed for their memory, as its own
   * cgroup (v2 or v1) counts them; 0 when that cannot be read.
   */
  public long oomKills(String container) {
    StringBuilder events = new StringBuilder();
    try {
      runtime.exec(
          container,
          new ExecSpec(
              List.of(
                  "/bin/sh",
                  "-c",
                  "cat /sys/fs/cgroup/memory.events /sys/fs/cgroup/memory/memory.oom_control"
                      + " 2>/dev/null; exit 0"),
              Map.of(),
              sandbox.sandbox().user(),
              null),
          (stream, time, text) -> events.append(text).append('\n'));
    } catch (RuntimeException e) {
      return 0;
    }
    return events
        .toString()
        .lines()
        .filter(l -> l.matches("oom_kill [0-9]{1,18}"))
        .mapToLong(l -> Long.parseLong(l.substring("oom_kill ".length())))
        .max()
        .orElse(0);
  }

  /**
   * The job is over. A container that served it cleanly, of a pool that reuses, of the current
   * revision and below its uses is emptied (processes, /tmp, workspace) and made warm again for the
   * same tenant; any other is replaced. The pool refills in the background.
   */
  public void release(PoolLease lease, boolean clean) {
    WarmContainer c = lease.container;
    if (c == null) {
      return;
    }
    byJob.remove(lease.job, c);
    Definition definition = definitions.get(c.pool);
    boolean keep =
        clean
            && c.counted
            && !c.interrupted
            && definition != null
            && definition.revision() == c.revision
            && definition.spec().reusable()
            && c.uses < definition.spec().maxUses();
    // The rest runs apart from the job's runner: its slot is free once the job has ended.
    if (!keep) {
      synchronized (this) {
        c.state = WarmContainer.State.RETIRING;
      }
      String why = clean ? "served its job" : "its job did not end cleanly";
      executor.execute(() -> retire(c, why));
      return;
    }
    synchronized (this) {
      c.state = WarmContainer.State.RESETTING;
      c.job = null;
      c.tenant = lease.tenant;
    }
    executor.execute(() -> reset(c, definition.spec()));
  }

  /** Empties a container for the next job of the same tenant and makes it warm again. */
  private void reset(WarmContainer c, PoolSpec spec) {
    try {
      Path emptied = c.outDir().resolve(EMPTIED);
      emptyDirectory(c.outDir());
      runtime.signal(c.name, "USR1");
      awaitFile(emptied, EMPTYING_LIMIT);
      emptyDirectory(c.inDir());
      emptyDirectory(c.outDir());
      runInit(c, spec);
      becomeWarm(c);
    } catch (IOException | RuntimeException e) {
      LOG.info("Replacing " + c.name + ": " + LogText.escape(String.valueOf(e.getMessage())));
      retire(c, "could not be emptied");
    }
  }

  // ---- status ----

  /** The pool's counts on this node. */
  public PoolStatus status(String pool) {
    int warm = 0;
    int busy = 0;
    int starting = 0;
    synchronized (this) {
      for (WarmContainer c : containers.values()) {
        if (!c.pool.equals(pool)) {
          continue;
        }
        switch (c.state) {
          case WARM -> warm++;
          case BUSY -> busy++;
          case STARTING, RESETTING -> starting++;
          default -> {}
        }
      }
    }
    Counters count = counters(pool);
    return new PoolStatus(
        List.of(
            new PoolStatus.Node(
                node.name(),
                warm,
                busy,
                starting,
                count.failed.get(),
                count.hits.get(),
                count.misses.get(),
                count.lastFailure)));
  }

  /** Counts of containers by pool and state, for the metrics. */
  public synchronized Map<String, Map<String, Integer>> counts() {
    Map<String, Map<String, Integer>> counts = new HashMap<>();
    for (WarmContainer c : containers.values()) {
      counts
          .computeIfAbsent(c.pool, p -> new HashMap<>())
          .merge(c.state.name().toLowerCase(java.util.Locale.ROOT), 1, Integer::sum);
    }
    return counts;
  }

  // ---- keeping the pools ----

  private void requestPass() {
    if (started && !stopped && passRequested.compareAndSet(false, true)) {
      executor.execute(this::maintainQuietly);
    }
  }

  private void maintainQuietly() {
    if (stopped) {
      return;
    }
    passRequested.set(false);
    try {
      maintain();
    } catch (RuntimeException e) {
      LOG.log(Level.WARNING, "Keeping the warm pools failed; the next pass tries again", e);
    }
  }

  /**
   * One pass: reads the definitions; replaces free containers of a changed or removed pool, those
   * idle too long and those that ended unasked; starts what each pool lacks.
   */
  void maintain() {
    Map<String, Definition> loaded = load();
    synchronized (this) {
      if (loaded.isEmpty() && containers.isEmpty()) {
        definitions = loaded;
        return; // no pool here: nothing to ask the engine
      }
    }
    Set<String> running = runningContainers();
    List<WarmContainer> retiring = new ArrayList<>();
    List<String> reasons = new ArrayList<>();
    List<WarmContainer> starting = new ArrayList<>();
    Instant now = Instant.now();
    synchronized (this) {
      definitions = loaded;
      for (WarmContainer c : containers.values()) {
        if (c.state != WarmContainer.State.WARM) {
          continue;
        }
        Definition definition = loaded.get(c.pool);
        String why = null;
        if (definition == null) {
          why = "its pool was removed";
        } else if (definition.revision() != c.revision) {
          why = "its pool was changed";
        } else if (c.since.plusSeconds(definition.spec().idleSeconds()).isBefore(now)) {
          why = "idle for " + definition.spec().idleSeconds() + " s";
        } else if (running != null && !running.contains(c.name)) {
          why = "it ended while warm";
          failed(c.pool, c.name + " ended while warm");
        }
        if (why != null) {
          c.state = WarmContainer.State.RETIRING;
          retiring.add(c);
          reasons.add(why);
        }
      }
      for (var entry : loaded.entrySet()) {
        String pool = entry.getKey();
        Definition definition = entry.getValue();
        Counters count = counters(pool);
        if (now.isBefore(count.notBefore)) {
          continue; // its last start failed: wait before the next
        }
        long held =
            containers.values().stream()
                .filter(c -> c.pool.equals(pool) && c.counted)
                .filter(c -> c.state != WarmContainer.State.RETIRING)
                .count();
        int missing = (int) Math.max(0, definition.spec().size() - held);
        if (count.failuresInRow > 0) {
          missing = Math.min(missing, 1); // one at a time until one succeeds again
        }
        for (int i = 0; i < missing; i++) {
          String name = containerName(pool);
          WarmContainer c =
              new WarmContainer(name, pool, definition.revision(), poolsDir().resolve(name), true);
          containers.put(name, c);
          starting.add(c);
        }
      }
    }
    for (int i = 0; i < retiring.size(); i++) {
      WarmContainer c = retiring.get(i);
      String why = reasons.get(i);
      if (why.startsWith("it ended")) {
        changed(c.pool, "failed", c.name);
      }
      executor.execute(() -> retire(c, why));
    }
    for (WarmContainer c : starting) {
      executor.execute(() -> startQuietly(c));
    }
  }

  private Set<String> runningContainers() {
    try {
      return runtime.listManaged(node.installation()).stream()
          .filter(c -> c.labels().containsKey(ContainerLabels.POOL))
          .filter(c -> "running".equals(c.state()))
          .map(ManagedContainer::name)
          .collect(Collectors.toSet());
    } catch (RuntimeException e) {
      return null; // the engine cannot tell now: nothing is taken for ended
    }
  }

  private void startQuietly(WarmContainer c) {
    Definition definition = definitions.get(c.pool);
    if (definition == null || definition.revision() != c.revision) {
      forget(c);
      return;
    }
    try {
      changed(c.pool, "starting", c.name);
      makeReady(c, definition.spec());
      synchronized (this) {
        counters(c.pool).failuresInRow = 0;
      }
      becomeWarm(c);
    } catch (RuntimeException e) {
      String why = LogText.escape(String.valueOf(e.getMessage()));
      LOG.warning("Container " + c.name + " of pool " + c.pool + " did not become warm: " + why);
      forget(c);
      removeQuietly(c);
      synchronized (this) {
        Counters count = counters(c.pool);
        count.failuresInRow++;
        long backoff =
            Math.min(MAX_BACKOFF.toSeconds(), 5L << Math.min(10, count.failuresInRow - 1));
        count.notBefore = Instant.now().plusSeconds(backoff);
      }
      failed(c.pool, why);
      changed(c.pool, "failed", c.name);
    }
  }

  /** Creates and starts the container, then runs the pool's init in it. */
  private void makeReady(WarmContainer c, PoolSpec spec) {
    try {
      Files.createDirectories(c.dir);
      Path work = Files.createDirectories(c.workDir());
      Files.setPosixFilePermissions(work, PosixFilePermissions.fromString("rwxr-xr-x"));
      Files.createDirectories(work.resolve("in")); // where in/ and out/ are bound
      Files.createDirectories(work.resolve("out"));
      Path in = Files.createDirectories(c.inDir());
      Files.setPosixFilePermissions(in, PosixFilePermissions.fromString("rwxr-xr-x"));
      Path out = Files.createDirectories(c.outDir());
      Files.setPosixFilePermissions(out, PosixFilePermissions.fromString("rwxrwxrwx"));
    } catch (IOException e) {
      throw new IllegalStateException("its directories could not be made: " + e.getMessage(), e);
    }
    ContainerSpec containerSpec = containerSpec(c, spec);
    try {
      runtime.create(containerSpec);
    } catch (ImageUnavailableException missing) {
      runtime.ensureImage(spec.image());
      runtime.create(containerSpec);
    }
    runtime.start(c.name);
    runInit(c, spec);
  }

  /** Runs the pool's init, if it has one, within its time; it must exit with 0. */
  private void runInit(WarmContainer c, PoolSpec spec) {
    if (spec.init() == null) {
      return;
    }
    AtomicBoolean late = new AtomicBoolean();
    ScheduledFuture<?> deadline =
        scheduler.schedule(
            () -> {
              late.set(true);
              removeQuietly(c);
            },
            spec.initTimeoutSeconds(),
            TimeUnit.SECONDS);
    Deque<String> tail = new ArrayDeque<>();
    int exit;
    try {
      exit =
          runtime.exec(
              c.name,
              new ExecSpec(spec.init(), Map.of(), sandbox.sandbox().user(), null),
              (stream, time, text) -> {
                synchronized (tail) {
                  tail.addLast(text);
                  if (tail.size() > 5) {
                    tail.removeFirst();
                  }
                }
              });
    } catch (RuntimeException e) {
      if (late.get()) {
        throw new IllegalStateException(
            "init took longer than " + spec.initTimeoutSeconds() + " s");
      }
      throw e;
    } finally {
      deadline.cancel(false);
    }
    if (exit != 0) {
      String last;
      synchronized (tail) {
        last = tail.isEmpty() ? "" : ": " + LogText.escape(tail.peekLast());
      }
      throw new IllegalStateException("init exited with code " + exit + last);
    }
  }

  private void becomeWarm(WarmContainer c) {
    try {
      Files.writeString(
          c.dir.resolve(MARKER),
          c.revision + " " + c.uses + " " + (c.tenant == null ? "-" : c.tenant),
          StandardCharsets.UTF_8);
    } catch (IOException e) {
      LOG.warning("Could not mark " + c.name + " warm: " + e.getMessage());
    }
    synchronized (this) {
      if (c.state == WarmContainer.State.RETIRING) {
        return;
      }
      c.state = WarmContainer.State.WARM;
      c.since = Instant.now();
    }
    changed(c.pool, "warm", c.name);
  }

  /** Removes the container and its directories, and has the pool refilled. */
  private void retire(WarmContainer c, String why) {
    synchronized (this) {
      c.state = WarmContainer.State.RETIRING;
    }
    LOG.fine(() -> "Replacing " + c.name + " of pool " + c.pool + ": " + why);
    removeQuietly(c);
    forget(c);
    changed(c.pool, "replaced", c.name);
    requestPass();
  }

  private void removeQuietly(WarmContainer c) {
    try {
      runtime.remove(c.name);
    } catch (RuntimeException e) {
      LOG.warning("Could not remove " + c.name + ": " + LogText.escape(e.getMessage()));
    }
    if (c.dir != null) {
      try {
        Workspaces.deleteTree(c.dir);
      } catch (IOException e) {
        LOG.warning("Could not remove the directory of " + c.name + ": " + e.getMessage());
      }
    }
  }

  private synchronized void forget(WarmContainer c) {
    containers.remove(c.name, c);
    if (c.job != null) {
      byJob.remove(c.job, c);
    }
  }

  /**
   * At start-up: a container that was warm (its marker says so) of a pool's current revision is
   * adopted as warm; any other of this node is removed with its directories, as are directories no
   * container has.
   */
  void adopt() {
    definitions = load();
    List<ManagedContainer> listed;
    try {
      listed =
          runtime.listManaged(node.installation()).stream()
              .filter(c -> c.labels().containsKey(ContainerLabels.POOL))
              .filter(c -> node.name().equals(c.labels().get(ContainerLabels.NODE)))
              .toList();
    } catch (RuntimeException e) {
      LOG.warning("Warm containers cannot be adopted now: " + LogText.escape(e.getMessage()));
      return;
    }
    Set<String> kept = new java.util.HashSet<>();
    for (ManagedContainer m : listed) {
      String pool = m.labels().get(ContainerLabels.POOL);
      Definition definition = definitions.get(pool);
      Path dir = poolsDir().resolve(m.name());
      if (Files.exists(dir.resolve(SANDBOX_MARKER))) {
        kept.add(m.name()); // a sandbox's now: the sandboxes settle it
        continue;
      }
      String[] marker = readMarker(dir);
      boolean adoptable =
          definition != null
              && "running".equals(m.state())
              && LAYOUT.equals(m.labels().get(ContainerLabels.POOL_LAYOUT))
              && marker != null
              && marker.length == 3
              && String.valueOf(definition.revision()).equals(marker[0])
              && String.valueOf(definition.revision())
                  .equals(m.labels().get(ContainerLabels.POOL_REVISION));
      if (adoptable) {
        WarmContainer c = new WarmContainer(m.name(), pool, definition.revision(), dir, true);
        c.uses = Integer.parseInt(marker[1]);
        c.tenant = "-".equals(marker[2]) ? null : marker[2];
        try {
          emptyDirectory(c.inDir());
          emptyDirectory(c.outDir());
        } catch (IOException e) {
          adoptable = false;
        }
        if (adoptable) {
          c.state = WarmContainer.State.WARM;
          synchronized (this) {
            containers.put(c.name, c);
          }
          kept.add(c.name);
          LOG.info("Adopted warm container " + c.name + " of pool " + pool);
          continue;
        }
      }
      LOG.info("Removing container " + m.name() + " of pool " + pool + ": it was not warm");
      removeQuietly(new WarmContainer(m.name(), pool, 0, dir, true));
    }
    try (DirectoryStream<Path> dirs = Files.newDirectoryStream(poolsDir())) {
      for (Path dir : dirs) {
        if (!kept.contains(dir.getFileName().toString())) {
          Workspaces.deleteTree(dir);
        }
      }
    } catch (java.nio.file.NoSuchFileException none) {
      // No pool has had a container here yet.
    } catch (IOException e) {
      LOG.warning("Could not clean the pools' directories: " + e.getMessage());
    }
  }

  private static String[] readMarker(Path dir) {
    try {
      return Files.readString(dir.resolve(MARKER), StandardCharsets.UTF_8).trim().split(" ");
    } catch (IOException e) {
      return null;
    }
  }

  // ---- helpers ----

  private ContainerSpec containerSpec(WarmContainer c, PoolSpec spec) {
    Map<String, String> env = new LinkedHashMap<>(spec.env());
    env.put("STEVEDORE_POOL", spec.name());
    env.put("STEVEDORE_INPUT_DIR", Workspaces.CONTAINER_IN);
    env.put("STEVEDORE_OUTPUT_DIR", Workspaces.CONTAINER_OUT);
    Map<String, String> labels =
        Map.of(
            ContainerLabels.POOL, c.pool,
            ContainerLabels.POOL_REVISION, Integer.toString(c.revision),
            ContainerLabels.POOL_LAYOUT, LAYOUT,
            ContainerLabels.NODE, node.name(),
            ContainerLabels.INSTALLATION, node.installation());
    return new ContainerSpec(
        c.name,
        spec.image(),
        KEEPER,
        env,
        labels,
        new ContainerSpec.Limits(
            spec.resources().memoryMb() * 1024L * 1024L,
            Math.round(spec.resources().cpus() * 1_000_000_000d),
            spec.resources().pids()),
        sandbox.sandbox(),
        spec.network(),
        List.of(
            new ContainerSpec.Mount(c.workDir(), Workspaces.CONTAINER_WORKSPACE, false),
            new ContainerSpec.Mount(c.inDir(), Workspaces.CONTAINER_IN, true),
            new ContainerSpec.Mount(c.outDir(), Workspaces.CONTAINER_OUT, false)));
  }

  private Definition definition(String pool) {
    Definition definition = definitions.get(pool);
    if (definition == null) {
      definition =
          repository.find(pool).map(p -> new Definition(p.revision(), p.spec())).orElse(null);
    }
    return definition;
  }

  private Map<String, Definition> load() {
    return repository.all().stream()
        .collect(
            Collectors.toUnmodifiableMap(Pool::name, p -> new Definition(p.revision(), p.spec())));
  }

  private Path poolsDir() {
    return workspaces.dataDir().resolve("pools");
  }

  private static String containerName(String pool) {
    String id = Ids.next();
    return "stevedore-pool-" + pool + "-" + id.substring(id.length() - 12);
  }

  private Counters counters(String pool) {
    return counters.computeIfAbsent(pool, p -> new Counters());
  }

  private void failed(String pool, String why) {
    Counters count = counters(pool);
    count.failed.incrementAndGet();
    count.lastFailure = why;
  }

  private void changed(String pool, String event, String container) {
    PoolStatus.Node now = status(pool).nodes().get(0);
    Definition definition = definitions.get(pool);
    List<String> tenants = definition == null ? List.of() : definition.spec().tenants();
    try {
      changes.fire(
          new PoolChanged(
              pool,
              node.name(),
              event,
              container,
              now.warm(),
              now.busy(),
              now.starting(),
              tenants));
    } catch (RuntimeException e) {
      LOG.log(Level.FINE, "A pool event could not be delivered", e);
    }
  }

  /** Deletes what a directory holds, keeping the directory. */
  static void emptyDirectory(Path dir) throws IOException {
    if (!Files.isDirectory(dir, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
      return;
    }
    try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir)) {
      for (Path entry : entries) {
        Workspaces.deleteTree(entry);
      }
    }
  }

  /**
   * Waits for the keeper's word that it has emptied the container. The keeper answers within
   * milliseconds; the waits between looks grow from 1 to 20 ms.
   */
  private static void awaitFile(Path file, Duration limit) {
    long giveUpAt = System.nanoTime() + limit.toNanos();
    for (long pause = 1; !Files.exists(file); pause = Math.min(20, pause * 2)) {
      if (System.nanoTime() > giveUpAt) {
        throw new IllegalStateException(
            "its keeper did not empty it within " + limit.toSeconds() + " s");
      }
      try {
        Thread.sleep(pause);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted while it was emptied", e);
      }
    }
  }
}
