package dev.stevedore.sandbox;

import dev.stevedore.core.ConflictException;
import dev.stevedore.core.Ids;
import dev.stevedore.core.InvalidInputException;
import dev.stevedore.core.LogText;
import dev.stevedore.core.NodeIdentity;
import dev.stevedore.core.NotFoundException;
import dev.stevedore.core.Schedules;
import dev.stevedore.core.UnavailableException;
import dev.stevedore.job.JobLimits;
import dev.stevedore.job.JobSpec;
import dev.stevedore.pool.Pool;
import dev.stevedore.pool.PoolRepository;
import dev.stevedore.pool.PoolSpec;
import dev.stevedore.rest.Violations;
import dev.stevedore.runtime.ContainerRefusedException;
import dev.stevedore.runtime.ContainerRuntimeException;
import dev.stevedore.runtime.ImageUnavailableException;
import dev.stevedore.runtime.LogSink;
import dev.stevedore.runtime.SandboxPolicy;
import dev.stevedore.security.Caller;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import jakarta.inject.Inject;
import jakarta.json.bind.Jsonb;
import jakarta.json.bind.JsonbBuilder;
import jakarta.validation.Validator;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Sandboxes: made for a tenant, driven with execs and file transfers, ended by their owner, their
 * idle timeout, their maximum lifetime or the loss of their container. Every lookup is scoped to
 * the caller's tenant. A sandbox's state is stored; what this node knows of its running ones (their
 * container, their last activity, their running execs) is kept here, and rebuilt from the stored
 * state and the engine after a restart.
 */
@ApplicationScoped
public class SandboxService {

  private static final Logger LOG = Logger.getLogger(SandboxService.class.getName());
  private static final Jsonb JSON = JsonbBuilder.create();
  private static final int SHOWN_EXECS = 20;
  private static final int MAX_STDIN_BYTES = 100_000;

  @Inject SandboxRepository repository;
  @Inject SandboxContainers containers;
  @Inject PoolRepository pools;
  @Inject JobLimits limits;
  @Inject Validator validator;
  @Inject Caller caller;
  @Inject NodeIdentity node;
  @Inject SandboxPolicy policy;
  @Inject Schedules schedules;
  @Inject Event<SandboxExecuted> executed;

  @Inject
  @ConfigProperty(name = "stevedore.sandboxes.max-per-node")
  int maxPerNode;

  @Inject
  @ConfigProperty(name = "stevedore.sandboxes.idle-timeout-seconds")
  int defaultIdleSeconds;

  @Inject
  @ConfigProperty(name = "stevedore.sandboxes.max-idle-timeout-seconds")
  int maxIdleSeconds;

  @Inject
  @ConfigProperty(name = "stevedore.sandboxes.lifetime-seconds")
  int defaultLifetimeSeconds;

  @Inject
  @ConfigProperty(name = "stevedore.sandboxes.max-lifetime-seconds")
  int maxLifetimeSeconds;

  @Inject
  @ConfigProperty(name = "stevedore.sandboxes.exec-timeout-seconds")
  int defaultExecSeconds;

  @Inject
  @ConfigProperty(name = "stevedore.sandboxes.max-exec-timeout-seconds")
  int maxExecSeconds;

  @Inject
  @ConfigProperty(name = "stevedore.sandboxes.exec-output-max-chars")
  int maxOutputChars;

  @Inject
  @ConfigProperty(name = "stevedore.sandboxes.max-concurrent-execs")
  int maxConcurrentExecs;

  @Inject
  @ConfigProperty(name = "stevedore.sandboxes.check-interval-seconds")
  long checkIntervalSeconds;

  @Inject
  @ConfigProperty(name = "stevedore.cleanup.retention-days")
  int retentionDays;

  @Inject
  @ConfigProperty(name = "stevedore.uploads.max-bytes")
  long maxUploadBytes;

  @Inject
  @ConfigProperty(name = "stevedore.uploads.max-files")
  int maxUploadFiles;

  @Inject
  @ConfigProperty(name = "stevedore.uploads.max-unpacked-bytes")
  long maxUnpackedBytes;

  /** This node's sandboxes that are not over, by id. */
  private final Map<String, Live> live = new ConcurrentHashMap<>();

  /** What this node knows of one of its sandboxes. */
  public static final class Live {
    final String id;
    final String tenant;
    final String pool;
    final Instant createdAt;
    final int idleSeconds;
    final int lifetimeSeconds;
    final Map<String, String> env;
    final AtomicInteger running = new AtomicInteger();
    volatile String container;
    volatile SandboxFiles files;
    volatile Instant lastActive = Instant.now();

    /** Processes of its container killed for their memory, as last counted. */
    volatile long oomKills;

    volatile boolean ending;

    Live(String id, String tenant, SandboxSpec spec, Instant createdAt) {
      this.id = id;
      this.tenant = tenant;
      this.pool = spec.pool();
      this.createdAt = createdAt;
      this.idleSeconds = spec.idleTimeoutSeconds();
      this.lifetimeSeconds = spec.maxLifetimeSeconds();
      Map<String, String> all = new LinkedHashMap<>(spec.env());
      if (spec.secrets() != null) {
        all.putAll(spec.secrets());
      }
      this.env = Map.copyOf(all);
    }

    boolean ready() {
      return container != null && !ending;
    }
  }

  // ---- the API's use cases ----

  /** Makes a sandbox and answers once its container runs. */
  public SandboxView create(SandboxSpec requested) {
    SandboxSpec spec = checked(requested);
    String tenant = caller.tenantId();
    String id = Ids.next();
    Live sandbox = new Live(id, tenant, spec, Instant.now());
    synchronized (live) {
      if (live.size() >= maxPerNode) {
        throw new UnavailableException(
            "node-full",
            "This node runs its most sandboxes",
            "This node runs " + maxPerNode + " sandboxes, its most; try again later");
      }
      live.put(id, sandbox); // before its container exists: no sweep takes that for an orphan
    }
    try {
      repository.add(
          new Sandbox(id, tenant, JSON.toJson(spec), spec.pool(), node.name(), sandbox.createdAt));
    } catch (RuntimeException e) {
      live.remove(id);
      throw e;
    }
    SandboxContainers.Started started;
    try {
      started =
          spec.pool() != null
              ? containers.fromPool(id, spec.pool(), tenant)
              : containers.startCold(id, spec.image(), spec.resources(), spec.network());
    } catch (RuntimeException e) {
      String why = LogText.escape(String.valueOf(e.getMessage()));
      live.remove(id);
      repository.end(id, "could not start: " + why);
      if (spec.pool() == null) {
        containers.remove(id, null, SandboxContainers.containerName(id));
      }
      throw startFailure(e, why);
    }
    sandbox.container = started.container();
    sandbox.files = started.files();
    try {
      return view(repository.ready(id, started.container(), started.warm()));
    } catch (RuntimeException e) {
      live.remove(id);
      containers.remove(id, spec.pool(), started.container());
      throw e;
    }
  }

  public List<SandboxView> list(SandboxState state, int limit) {
    List<Sandbox> found = repository.list(caller.tenantScope(), state, limit);
    Map<String, Long> counts = repository.countExecs(found.stream().map(Sandbox::id).toList());
    return found.stream().map(s -> view(s, List.of(), counts.getOrDefault(s.id(), 0L))).toList();
  }

  public SandboxView get(String id) {
    return view(visible(id));
  }

  /** Ends the sandbox now; ending an ended one changes nothing. */
  public void delete(String id) {
    Sandbox sandbox = visible(id);
    if (sandbox.state().isLive()) {
      end(id, "deleted by its owner");
    }
  }

  /** A command checked and its sandbox found, ready to run. */
  public record PreparedExec(Live sandbox, ExecRequest request, int timeoutSeconds) {}

  /** Checks the command and finds the caller's ready sandbox: the errors a client can fix. */
  public PreparedExec prepareExec(String id, ExecRequest request) {
    return prepareExec(id, request, caller.tenantScope());
  }

  /** As {@link #prepareExec(String, ExecRequest)}, for a caller known by its tenant scope. */
  public PreparedExec prepareExec(String id, ExecRequest request, Optional<String> tenantScope) {
    ExecRequest valid = Violations.check(validator, request, "exec");
    int timeout = valid.timeoutSeconds() == null ? defaultExecSeconds : valid.timeoutSeconds();
    if (timeout > maxExecSeconds) {
      throw InvalidInputException.forField(
          "timeoutSeconds", "must be at most " + maxExecSeconds + " on this server");
    }
    if (valid.stdin() != null
        && valid.stdin().getBytes(StandardCharsets.UTF_8).length > MAX_STDIN_BYTES) {
      throw InvalidInputException.forField(
          "stdin", "must be at most " + MAX_STDIN_BYTES + " bytes in UTF-8");
    }
    Live sandbox = usable(id, tenantScope);
    if (sandbox.running.get() >= maxConcurrentExecs) {
      throw new dev.stevedore.core.LimitExceededException(
          "Sandbox " + id + " runs " + maxConcurrentExecs + " commands, its most at once", 1);
    }
    return new PreparedExec(sandbox, valid, timeout);
  }

  /** Runs a command and answers how it ended, its output collected up to the server's bound. */
  public ExecResult exec(String id, ExecRequest request) {
    return run(prepareExec(id, request), null);
  }

  /**
   * Runs the command. Its output goes to {@code stream} as it comes when one is given (and is not
   * in the answer); else it is collected, each stream up to the server's bound.
   */
  public ExecResult run(PreparedExec prepared, LogSink stream) {
    Live sandbox = prepared.sandbox();
    ExecRequest valid = prepared.request();
    Map<String, String> env = new LinkedHashMap<>(sandbox.env);
    if (valid.env() != null) {
      env.putAll(valid.env());
    }
    Output output = stream == null ? new Output(maxOutputChars) : null;
    sandbox.running.incrementAndGet();
    sandbox.lastActive = Instant.now();
    SandboxContainers.Ran ran;
    try {
      ran =
          containers.exec(
              sandbox.container,
              valid.command(),
              env,
              valid.workingDir() == null ? "/workspace" : valid.workingDir(),
              valid.stdin(),
              Duration.ofSeconds(prepared.timeoutSeconds()),
              stream == null ? output : stream);
    } finally {
      sandbox.running.decrementAndGet();
      sandbox.lastActive = Instant.now();
    }
    if (ran.exitCode() == null) {
      endIfGone(sandbox);
      throw ended(sandbox.id);
    }
    boolean oomKilled = false;
    if (ran.exitCode() == 137 && !ran.timedOut()) { // SIGKILL: the kernel's, for the memory?
      long kills = containers.oomKills(sandbox.container);
      oomKilled = kills > sandbox.oomKills;
      sandbox.oomKills = kills;
    }
    String execId = Ids.next();
    repository.recordExec(
        new SandboxExec(
            execId,
            sandbox.id,
            JSON.toJson(valid.command()),
            ran.startedAt(),
            ran.durationMs(),
            ran.exitCode(),
            ran.timedOut()));
    executed.fire(
        new SandboxExecuted(
            sandbox.id, sandbox.tenant, execId, ran.exitCode(), ran.timedOut(), ran.durationMs()));
    return output == null
        ? new ExecResult(
            execId,
            ran.exitCode(),
            ran.timedOut(),
            oomKilled,
            ran.durationMs(),
            null,
            null,
            false,
            false)
        : new ExecResult(
            execId,
            ran.exitCode(),
            ran.timedOut(),
            oomKilled,
            ran.durationMs(),
            output.stdout.toString(),
            output.stderr.toString(),
            output.stdoutTruncated,
            output.stderrTruncated);
  }

  /** What a path of the sandbox's workspace is: file or directory. */
  public String type(String id, String path) {
    return readable(id).type(SandboxFiles.relative(path));
  }

  public SandboxFiles.Listing list(String id, String path) {
    return readable(id).list(SandboxFiles.relative(path));
  }

  /** Writes a file, or the file or directory as a tar or zip, to {@code sink}. */
  public void download(String id, String path, String archive, OutputStream sink)
      throws IOException {
    SandboxFiles files = readable(id);
    String relative = SandboxFiles.relative(path);
    switch (archive == null ? "" : archive) {
      case "tar" -> files.writeTar(relative, sink);
      case "zip" -> files.writeZip(relative, sink);
      default -> files.readFile(relative, sink);
    }
  }

  /**
   * Writes one file at the path, or unpacks a tar into the directory at the path; nothing is
   * written unless all of it may be.
   */
  public void upload(String id, String path, InputStream content, boolean tar) {
    Live sandbox = usable(id);
    String relative = SandboxFiles.relative(path);
    sandbox.files.checkWritable(relative, tar);
    String[] user = policy.sandbox().user().split(":");
    int uid = Integer.parseInt(user[0]);
    int gid = user.length > 1 ? Integer.parseInt(user[1]) : uid;
    SandboxFiles.Limits allowed =
        new SandboxFiles.Limits(maxUploadBytes, maxUploadFiles, maxUnpackedBytes);
    sandbox.lastActive = Instant.now();
    Path archive;
    try {
      archive =
          tar
              ? SandboxFiles.tarArchive(relative, content, allowed, uid, gid)
              : SandboxFiles.fileArchive(relative, content, allowed, uid, gid);
    } catch (IOException e) {
      throw InvalidInputException.forField("body", "could not be read: " + e.getMessage());
    }
    try (InputStream in = Files.newInputStream(archive)) {
      containers.copyIn(sandbox.container, in);
    } catch (ContainerRefusedException refused) {
      endIfGone(sandbox);
      if (!sandbox.ready()) {
        throw ended(id);
      }
      throw InvalidInputException.forField(
          "path", "could not be written: " + LogText.escape(refused.getMessage()));
    } catch (IOException e) {
      throw new IllegalStateException("Could not read a staged upload", e);
    } finally {
      try {
        Files.deleteIfExists(archive);
      } catch (IOException e) {
        LOG.fine(() -> "Could not delete a staged upload: " + e);
      }
    }
    sandbox.lastActive = Instant.now();
  }

  // ---- life and death ----

  /** At start-up: adopts this node's ready sandboxes whose container runs, ends the others. */
  public void start() {
    adopt();
    Duration interval = Duration.ofSeconds(checkIntervalSeconds);
    schedules.withFixedDelay("Sandboxes", interval, interval, this::maintainQuietly);
  }

  void adopt() {
    for (Sandbox stored : repository.liveOn(node.name())) {
      SandboxSpec spec = JSON.fromJson(stored.specJson(), SandboxSpec.class);
      if (stored.state() == SandboxState.STARTING || stored.container() == null) {
        repository.end(stored.id(), "the server restarted while it started");
        if (stored.pool() == null) {
          containers.remove(stored.id(), null, SandboxContainers.containerName(stored.id()));
        }
        continue;
      }
      Optional<String> gone;
      try {
        gone = containers.endedHow(stored.container());
      } catch (RuntimeException e) {
        LOG.warning("Sandboxes cannot be adopted now: " + LogText.escape(e.getMessage()));
        gone = Optional.empty(); // taken as running; the next pass looks again
      }
      if (gone.isPresent()) {
        repository.end(stored.id(), gone.get() + " while the server was down");
        containers.remove(stored.id(), stored.pool(), stored.container());
        continue;
      }
      Live sandbox = new Live(stored.id(), stored.tenantId(), spec, stored.createdAt());
      sandbox.container = stored.container();
      sandbox.files = containers.files(stored.id(), stored.pool(), stored.container());
      sandbox.oomKills = containers.oomKills(stored.container());
      live.put(stored.id(), sandbox);
      LOG.info("Adopted sandbox " + stored.id() + " in " + stored.container());
    }
    containers.sweep(live.keySet());
  }

  private void maintainQuietly() {
    try {
      maintain();
    } catch (RuntimeException e) {
      LOG.log(Level.WARNING, "Keeping the sandboxes failed; the next pass tries again", e);
    }
  }

  /**
   * One pass: ends sandboxes past their lifetime, idle ones, those whose container has ended and
   * those another node ended (it took this one for lost); forgets ended ones past the retention
   * period.
   */
  void maintain() {
    Instant now = Instant.now();
    for (Live sandbox : List.copyOf(live.values())) {
      if (!sandbox.ready()) {
        continue;
      }
      if (sandbox.createdAt.plusSeconds(sandbox.lifetimeSeconds).isBefore(now)) {
        end(sandbox.id, "reached its maximum lifetime of " + sandbox.lifetimeSeconds + " s");
      } else if (sandbox.running.get() == 0
          && sandbox.lastActive.plusSeconds(sandbox.idleSeconds).isBefore(now)) {
        end(sandbox.id, "idle for " + sandbox.idleSeconds + " s");
      }
    }
    List<Live> ready = live.values().stream().filter(Live::ready).toList();
    if (!ready.isEmpty()) {
      // Ended by another node that took this one for lost: its container goes here too.
      java.util.Set<String> stored =
          repository.liveOn(node.name()).stream()
              .map(Sandbox::id)
              .collect(java.util.stream.Collectors.toSet());
      for (Live sandbox : ready) {
        // Only one whose row says it ended: a row that still says live (on another node, as an
        // operator or a test may set it) is the business of whoever settles that node.
        if (!stored.contains(sandbox.id)
            && repository
                .find(sandbox.id)
                .map(row -> row.state() == SandboxState.ENDED)
                .orElse(true)) {
          end(sandbox.id, "ended by another node");
        }
      }
      ready = live.values().stream().filter(Live::ready).toList();
    }
    if (!ready.isEmpty()) {
      java.util.Set<String> running = containers.runningContainers();
      if (running != null) {
        for (Live sandbox : ready) {
          if (!running.contains(sandbox.container)) {
            endIfGone(sandbox);
          }
        }
      }
    }
    repository.forgetEndedBefore(now.minus(Duration.ofDays(retentionDays)));
  }

  /** Ends the sandbox if its container has ended or disappeared, saying how. */
  private void endIfGone(Live sandbox) {
    try {
      containers.endedHow(sandbox.container).ifPresent(how -> end(sandbox.id, how));
    } catch (RuntimeException e) {
      LOG.fine(() -> "Sandbox " + sandbox.id + " could not be looked at: " + e.getMessage());
    }
  }

  /** Ends the sandbox: stored as ended, then its container and directories removed. */
  void end(String id, String reason) {
    Live sandbox = live.get(id);
    if (sandbox != null) {
      sandbox.ending = true;
    }
    repository.end(id, reason);
    if (sandbox != null && live.remove(id, sandbox)) {
      containers.remove(id, sandbox.pool, sandbox.container);
    }
  }

  /** How many of this node's sandboxes are ready: for the metrics. */
  public int readyCount() {
    return (int) live.values().stream().filter(Live::ready).count();
  }

  // ---- lookups ----

  private Sandbox visible(String id) {
    return visible(id, caller.tenantScope());
  }

  /** The sandbox if the tenant scope may see it (any, with no scope); else a 404. */
  private Sandbox visible(String id, Optional<String> tenantScope) {
    return repository
        .find(id)
        .filter(s -> tenantScope.map(s.tenantId()::equals).orElse(true))
        .orElseThrow(() -> new NotFoundException("sandbox", "No sandbox " + id));
  }

  /** Whether a caller of the tenant scope may see the sandbox: the streams ask before they open. */
  public boolean isVisible(String id, Optional<String> tenantScope) {
    return repository
        .find(id)
        .filter(s -> tenantScope.map(s.tenantId()::equals).orElse(true))
        .isPresent();
  }

  private Live usable(String id) {
    return usable(id, caller.tenantScope());
  }

  /** The caller's ready sandbox on this node, or the reason it cannot be used. */
  private Live usable(String id, Optional<String> tenantScope) {
    Live known = live.get(id);
    if (known != null && known.ready() && tenantScope.map(known.tenant::equals).orElse(true)) {
      return known; // this node's and ready: no read of the database on a command's path
    }
    Sandbox stored = visible(id, tenantScope);
    if (!stored.state().isLive()) {
      throw ended(id);
    }
    Live sandbox = live.get(id);
    if (sandbox == null || !sandbox.ready()) {
      if (!node.name().equals(stored.node())) {
        throw new ConflictException(
            "sandbox-elsewhere",
            "The sandbox runs on another node",
            "Sandbox " + id + " runs on node " + stored.node() + "; ask that node");
      }
      throw new ConflictException(
          "sandbox-not-ready", "The sandbox is not ready", "Sandbox " + id + " is not ready");
    }
    return sandbox;
  }

  private SandboxFiles readable(String id) {
    Live sandbox = usable(id);
    sandbox.lastActive = Instant.now();
    return sandbox.files;
  }

  private static ConflictException ended(String id) {
    return new ConflictException(
        "sandbox-ended", "The sandbox has ended", "Sandbox " + id + " has ended");
  }

  private static RuntimeException startFailure(RuntimeException e, String why) {
    if (e instanceof ImageUnavailableException) {
      return InvalidInputException.forField("image", "cannot be had: " + why);
    }
    if (e instanceof IllegalArgumentException) {
      return InvalidInputException.forField("pool", why);
    }
    if (e instanceof ContainerRuntimeException || e instanceof IllegalStateException) {
      return new UnavailableException(
          "sandbox-not-started", "The sandbox could not start", "It could not start: " + why);
    }
    return e;
  }

  // ---- the spec ----

  /**
   * The spec as stored: valid, its image, resources and network those of its pool or within the
   * server's limits as a job's are, timeouts within the server's, the defaults filled in.
   */
  SandboxSpec checked(SandboxSpec requested) {
    SandboxSpec spec = Violations.check(validator, requested, "sandbox");
    String image = spec.image();
    JobSpec.Resources resources;
    String network;
    if (spec.pool() != null) {
      PoolSpec pool =
          pools
              .find(spec.pool())
              .map(Pool::spec)
              .filter(p -> p.allows(caller.tenantId()))
              .orElseThrow(
                  () ->
                      InvalidInputException.forField(
                          "pool", "there is no pool named '" + spec.pool() + "' for this tenant"));
      List<dev.stevedore.core.FieldError> errors = new ArrayList<>();
      if (image != null && !image.equals(pool.image())) {
        errors.add(
            new dev.stevedore.core.FieldError("image", "must be the pool's, " + pool.image()));
      }
      if (spec.resources() != null && !spec.resources().equals(pool.resources())) {
        errors.add(
            new dev.stevedore.core.FieldError("resources", "are the pool's: leave them out"));
      }
      if (spec.network() != null && !spec.network().equals(pool.network())) {
        errors.add(new dev.stevedore.core.FieldError("network", "is the pool's: leave it out"));
      }
      if (!errors.isEmpty()) {
        throw InvalidInputException.of(errors);
      }
      image = pool.image();
      resources = pool.resources();
      network = pool.network();
    } else {
      if (image == null || image.isBlank()) {
        throw InvalidInputException.forField("image", "is needed unless a pool is given");
      }
      JobSpec asJob =
          limits.apply(
              new JobSpec(
                  null,
                  image,
                  null,
                  null,
                  null,
                  null,
                  spec.resources(),
                  null,
                  null,
                  null,
                  spec.network(),
                  null,
                  null,
                  null));
      image = asJob.image();
      resources = asJob.resources();
      network = asJob.network();
    }
    int idle = spec.idleTimeoutSeconds() == null ? defaultIdleSeconds : spec.idleTimeoutSeconds();
    if (idle > maxIdleSeconds) {
      throw InvalidInputException.forField(
          "idleTimeoutSeconds", "must be at most " + maxIdleSeconds + " on this server");
    }
    int lifetime =
        spec.maxLifetimeSeconds() == null ? defaultLifetimeSeconds : spec.maxLifetimeSeconds();
    if (lifetime > maxLifetimeSeconds) {
      throw InvalidInputException.forField(
          "maxLifetimeSeconds", "must be at most " + maxLifetimeSeconds + " on this server");
    }
    return new SandboxSpec(
        image,
        spec.pool(),
        resources,
        network,
        spec.env() == null ? Map.of() : new TreeMap<>(spec.env()),
        spec.secrets() == null || spec.secrets().isEmpty() ? null : new TreeMap<>(spec.secrets()),
        idle,
        lifetime,
        spec.labels() == null ? Map.of() : new TreeMap<>(spec.labels()));
  }

  // ---- views ----

  private SandboxView view(Sandbox sandbox) {
    List<SandboxExec> execs = repository.execs(sandbox.id(), SHOWN_EXECS);
    long count = execs.size() < SHOWN_EXECS ? execs.size() : repository.countExecs(sandbox.id());
    return view(sandbox, execs, count);
  }

  private SandboxView view(Sandbox sandbox, List<SandboxExec> execs, long execCount) {
    SandboxSpec spec = JSON.fromJson(sandbox.specJson(), SandboxSpec.class);
    List<SandboxView.ExecView> shown =
        execs.stream()
            .map(
                e ->
                    new SandboxView.ExecView(
                        e.id(),
                        List.of(JSON.fromJson(e.command(), String[].class)),
                        e.startedAt(),
                        e.durationMs(),
                        e.exitCode(),
                        e.timedOut()))
            .toList();
    return new SandboxView(
        sandbox.id(),
        sandbox.state(),
        sandbox.tenantId(),
        spec.withSecretsMasked(),
        sandbox.warm() == null ? null : sandbox.warm() ? "warm" : "cold",
        sandbox.node(),
        sandbox.container(),
        sandbox.createdAt(),
        sandbox.readyAt(),
        sandbox.createdAt().plusSeconds(spec.maxLifetimeSeconds()),
        sandbox.endedAt(),
        sandbox.endReason(),
        execCount,
        shown);
  }

  /** A command's output collected up to a bound per stream. */
  static final class Output implements LogSink {
    final StringBuilder stdout = new StringBuilder();
    final StringBuilder stderr = new StringBuilder();
    final int max;
    boolean stdoutTruncated;
    boolean stderrTruncated;

    Output(int max) {
      this.max = max;
    }

    @Override
    public synchronized void line(Stream stream, Instant time, String text) {
      boolean out = stream == Stream.STDOUT;
      StringBuilder into = out ? stdout : stderr;
      int room = max - into.length();
      if (room >= text.length() + 1) {
        into.append(text).append('\n');
        return;
      }
      if (room > 0) {
        into.append(text, 0, room);
      }
      if (out) {
        stdoutTruncated = true;
      } else {
        stderrTruncated = true;
      }
    }
  }
}
