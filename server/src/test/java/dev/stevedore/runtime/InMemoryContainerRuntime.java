package dev.stevedore.runtime;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * A {@link ContainerRuntime} held in memory, for fast tests of the code above the engine port. It
 * keeps the Docker adapter's semantics: a create of an existing name adopts it, starting a running
 * container and stopping or removing a missing one are fine, a missing container has no status, a
 * create needs its image present (see {@link #ensureImage}), and a call on a missing container that
 * needs one is refused.
 *
 * <p>A test scripts what a container does once started ({@link #script}): the lines it prints, and
 * whether it exits at once with a code, is killed for its memory, or runs until stopped. While it
 * runs, the test can make it print ({@link #print}) and end ({@link #exit}, {@link #killByEngine}).
 * It can take the engine away ({@link #engineDown}) or make one call fail ({@link #failNext}), run
 * something of its own just before a call ({@link #beforeNext}), to script a race such as a cancel
 * that arrives while an image is pulled), and inspect what was asked of the engine ({@link
 * #created}, {@link #calls}).
 *
 * <p>Thread-safe: one lock guards everything, and waiting calls are woken by every change.
 */
public class InMemoryContainerRuntime implements ContainerRuntime {

  /** The exit code of a container killed by SIGKILL (a stop after its grace, an OOM kill). */
  public static final int KILLED = 137;

  /** One line a container prints. */
  public record Output(LogSink.Stream stream, String text) {}

  /** What a container does once started. */
  public static final class Script {
    private final List<Output> lines = new ArrayList<>();
    private Integer exitCode;
    private boolean oomKilled;

    private Script(Integer exitCode) {
      this.exitCode = exitCode;
    }

    /** Runs until stopped (or ended by the test). */
    public static Script runsUntilStopped() {
      return new Script(null);
    }

    /** Prints its lines, then exits with this code. */
    public static Script exitsWith(int exitCode) {
      return new Script(exitCode);
    }

    /** Prints its lines, then is killed for exceeding its memory limit. */
    public static Script oomKilled() {
      Script script = new Script(KILLED);
      script.oomKilled = true;
      return script;
    }

    /** Prints these lines on stdout. */
    public Script prints(String... texts) {
      for (String text : texts) {
        lines.add(new Output(LogSink.Stream.STDOUT, text));
      }
      return this;
    }

    /** Prints these lines on stderr. */
    public Script printsToStderr(String... texts) {
      for (String text : texts) {
        lines.add(new Output(LogSink.Stream.STDERR, text));
      }
      return this;
    }
  }

  private enum State {
    CREATED,
    RUNNING,
    EXITED
  }

  private record Line(LogSink.Stream stream, Instant time, String text) {}

  private static final class Container {
    final String id;
    final ContainerSpec spec;
    final Script script;
    final List<Line> output = new ArrayList<>();
    State state = State.CREATED;
    ContainerExit exit;

    Container(String id, ContainerSpec spec, Script script) {
      this.id = id;
      this.spec = spec;
      this.script = script;
    }
  }

  private final Map<String, Container> containers = new LinkedHashMap<>();
  private final Map<String, Script> scripts = new HashMap<>();
  private final Set<String> images = new HashSet<>();
  private final Set<String> unpullable = new HashSet<>();
  private final Map<String, RuntimeException> failures = new HashMap<>();
  private final Map<String, Runnable> before = new HashMap<>();
  private final Set<ContainerExit> endedByEngine = new HashSet<>();
  private final List<ContainerSpec> created = new ArrayList<>();
  private final List<String> calls = new ArrayList<>();
  private final List<ExecSpec> executed = new ArrayList<>();
  private ExecBehaviour execs = InMemoryContainerRuntime::printing;
  private java.util.function.BiConsumer<ContainerSpec, String> signals = (spec, signal) -> {};
  private boolean down;
  private int nextId = 1;

  // ---- test control ----

  /** What the container of this name will do once started; by default it runs until stopped. */
  public synchronized InMemoryContainerRuntime script(String name, Script script) {
    scripts.put(name, script);
    return this;
  }

  /** Makes an image present, as if pulled before. */
  public synchronized InMemoryContainerRuntime withImage(String image) {
    images.add(image);
    return this;
  }

  /** An image that {@link #ensureImage} cannot pull. */
  public synchronized InMemoryContainerRuntime withoutImage(String image) {
    images.remove(image);
    unpullable.add(image);
    return this;
  }

  /** Every call now fails as with a daemon that cannot be reached; waiting calls fail too. */
  public synchronized void engineDown() {
    down = true;
    notifyAll();
  }

  /** The engine answers again. */
  public synchronized void engineUp() {
    down = false;
  }

  /**
   * The next call of this operation (a method name of {@link ContainerRuntime}, such as {@code
   * "create"}) throws this failure instead of acting.
   */
  public synchronized void failNext(String operation, RuntimeException failure) {
    failures.put(operation, failure);
  }

  /**
   * Runs {@code action} once, just before the next call of this operation (a method name of {@link
   * ContainerRuntime}) acts: what another thread would do while the caller is about to make the
   * call. It runs on the caller's thread and may use this runtime; the call then goes on as
   * scripted (it fails if the action took the engine down, for instance).
   */
  public synchronized void beforeNext(String operation, Runnable action) {
    before.put(operation, action);
  }

  /** The next call of this operation is refused by the engine. */
  public void refuseNext(String operation) {
    failNext(
        operation,
        new ContainerRefusedException("The engine refused to " + operation + " (scripted)", null));
  }

  /** A running container prints a line. */
  public synchronized void print(String name, LogSink.Stream stream, String text) {
    Container container = existing(name);
    if (container.state != State.RUNNING) {
      throw new IllegalStateException(name + " does not run");
    }
    container.output.add(new Line(stream, Instant.now(), text));
    notifyAll();
  }

  /** A running container exits on its own with this code. */
  public synchronized void exit(String name, int exitCode) {
    end(existing(name), exitCode, false);
  }

  /**
   * The engine's stop or restart ends a running container: {@link #interruptedByEngine} says so.
   */
  public synchronized void killByEngine(String name) {
    Container container = existing(name);
    end(container, KILLED, false);
    endedByEngine.add(container.exit);
  }

  /** The specs of every container created (not adopted), in order. */
  public synchronized List<ContainerSpec> created() {
    return List.copyOf(created);
  }

  /** The spec of the container of this name or id, if it exists. */
  public synchronized Optional<ContainerSpec> spec(String name) {
    return Optional.ofNullable(lookup(name)).map(c -> c.spec);
  }

  /** The names of the containers that exist now. */
  public synchronized Set<String> names() {
    return Set.copyOf(containers.keySet());
  }

  /** Every call made, as {@code "operation argument"}, in order; failed calls included. */
  public synchronized List<String> calls() {
    return List.copyOf(calls);
  }

  // ---- the port ----

  @Override
  public synchronized EngineInfo info() {
    enter("info", "");
    int running = (int) containers.values().stream().filter(c -> c.state == State.RUNNING).count();
    return new EngineInfo(
        "memory-engine",
        "memory:",
        "test",
        "test",
        "linux",
        Set.of("runc"),
        "memory",
        running,
        images.size());
  }

  @Override
  public synchronized boolean isAvailable() {
    Runnable action = before.remove("isAvailable");
    if (action != null) {
      action.run();
    }
    calls.add("isAvailable");
    return !down;
  }

  @Override
  public synchronized void ensureImage(String image) {
    enter("ensureImage", image);
    if (images.contains(image)) {
      return;
    }
    if (unpullable.contains(image)) {
      throw new ImageUnavailableException(image, "no such image (scripted)");
    }
    images.add(image);
  }

  @Override
  public synchronized String create(ContainerSpec spec) {
    enter("create", spec.name());
    Container existing = containers.get(spec.name());
    if (existing != null) {
      return existing.id;
    }
    if (!images.contains(spec.image())) {
      throw new ImageUnavailableException(spec.image(), "No such image: " + spec.image());
    }
    Script script = scripts.getOrDefault(spec.name(), Script.runsUntilStopped());
    Container container = new Container(String.format("%064x", nextId++), spec, script);
    containers.put(spec.name(), container);
    created.add(spec);
    return container.id;
  }

  @Override
  public synchronized void start(String name) {
    enter("start", name);
    Container container = required(name, "start");
    if (container.state != State.CREATED) {
      return; // running already; an exited one is not run again here (the engine would)
    }
    container.state = State.RUNNING;
    Instant now = Instant.now();
    for (Output line : container.script.lines) {
      container.output.add(new Line(line.stream(), now, line.text()));
    }
    if (container.script.exitCode != null) {
      end(container, container.script.exitCode, container.script.oomKilled);
    }
    notifyAll();
  }

  @Override
  public void followLogs(String name, LogSink sink) {
    deliver(name, sink, true, "followLogs");
  }

  @Override
  public void readLogs(String name, LogSink sink) {
    deliver(name, sink, false, "readLogs");
  }

  /** Hands lines to the sink outside the lock, so that a sink may call the runtime. */
  private void deliver(String name, LogSink sink, boolean follow, String operation) {
    int delivered = 0;
    while (true) {
      List<Line> batch;
      boolean done;
      synchronized (this) {
        if (delivered == 0) {
          enter(operation, name);
        }
        Container container = required(name, operation);
        while (follow
            && delivered == container.output.size()
            && container.state != State.EXITED
            && lookup(name) == container) {
          await(operation, name);
        }
        batch = List.copyOf(container.output.subList(delivered, container.output.size()));
        done = !follow || container.state == State.EXITED || lookup(name) != container;
      }
      for (Line line : batch) {
        sink.line(line.stream(), line.time(), line.text());
      }
      delivered += batch.size();
      if (done) {
        return;
      }
    }
  }

  /**
   * Waits while the container runs. Like the engine's wait, a container never started counts as not
   * running: it returns at once, with exit code 0 and no end time.
   */
  @Override
  public synchronized ContainerExit awaitExit(String name) {
    enter("awaitExit", name);
    Container container = required(name, "awaitExit");
    while (container.state == State.RUNNING) {
      await("awaitExit", name);
    }
    return container.exit != null ? container.exit : new ContainerExit(0, false, null, null, null);
  }

  @Override
  public synchronized Optional<ContainerStatus> status(String name) {
    enter("status", name);
    Container container = lookup(name);
    if (container == null) {
      return Optional.empty();
    }
    return Optional.of(
        new ContainerStatus(container.id, container.state == State.RUNNING, container.exit));
  }

  /** Records the signal and hands it to {@link #onSignal}; the scripted process runs on. */
  @Override
  public void signal(String name, String signal) {
    java.util.function.BiConsumer<ContainerSpec, String> hook;
    ContainerSpec spec;
    synchronized (this) {
      enter("signal", name);
      Container container = required(name, "signal");
      if (container.state != State.RUNNING) {
        throw new ContainerRefusedException("Container " + name + " is not running", null);
      }
      spec = container.spec;
      hook = signals;
    }
    hook.accept(spec, signal);
  }

  /** What a signal does besides being recorded: given the container's spec and the signal. */
  public synchronized void onSignal(java.util.function.BiConsumer<ContainerSpec, String> hook) {
    this.signals = hook;
  }

  /** The scripted process ignores SIGTERM, so a stop ends it as the engine's SIGKILL would. */
  @Override
  public synchronized void stop(String name, Duration grace) {
    enter("stop", name);
    Container container = lookup(name);
    if (container != null && container.state == State.RUNNING) {
      end(container, KILLED, false);
    }
  }

  /** Like a forced remove: a running container is killed first. */
  @Override
  public synchronized void remove(String name) {
    enter("remove", name);
    Container container = lookup(name);
    if (container != null) {
      containers.remove(container.spec.name());
    }
    if (container != null && container.state == State.RUNNING) {
      end(container, KILLED, false);
    }
    notifyAll();
  }

  /**
   * Runs a command in a running container: what it does comes from {@link #execs}. By default a
   * command {@code print <text> <code>} prints its text and exits with its code, any other prints
   * nothing and exits with 0. The command is recorded ({@link #executed}).
   */
  /**
   * Unpacks the files and directories of the archive into the host directory of the mount that
   * holds {@code directory}, as the engine would through the mount.
   */
  @Override
  public void copyIn(String name, String directory, java.io.InputStream tar) {
    ContainerSpec spec;
    synchronized (this) {
      enter("copyIn", name);
      Container container = required(name, "copyIn");
      if (container.state != State.RUNNING) {
        throw new ContainerRefusedException("Container " + name + " is not running", null);
      }
      spec = container.spec;
    }
    ContainerSpec.Mount mount =
        spec.mounts().stream()
            .filter(m -> !m.readOnly())
            .filter(m -> (directory + "/").startsWith(m.target() + "/"))
            .max(java.util.Comparator.comparingInt(m -> m.target().length()))
            .orElseThrow(() -> new ContainerRefusedException(directory + " is not writable", null));
    java.nio.file.Path base =
        mount.source().resolve(directory.substring(mount.target().length()).replaceFirst("^/", ""));
    try (var entries = new org.apache.commons.compress.archivers.tar.TarArchiveInputStream(tar)) {
      for (var entry = entries.getNextEntry(); entry != null; entry = entries.getNextEntry()) {
        java.nio.file.Path target = base.resolve(entry.getName()).normalize();
        if (entry.isDirectory()) {
          java.nio.file.Files.createDirectories(target);
        } else {
          java.nio.file.Files.createDirectories(target.getParent());
          java.nio.file.Files.copy(
              entries, target, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        }
      }
    } catch (java.io.IOException e) {
      throw new ContainerRefusedException("Files could not be copied: " + e.getMessage(), e);
    }
  }

  @Override
  public int exec(String name, ExecSpec exec, LogSink sink) {
    ExecBehaviour behaviour;
    synchronized (this) {
      enter("exec", name);
      Container container = required(name, "exec");
      if (container.state != State.RUNNING) {
        throw new ContainerRefusedException("Container " + name + " is not running", null);
      }
      executed.add(exec);
      behaviour = execs;
    }
    return behaviour.run(exec, sink);
  }

  /** What an exec does: it may print to the sink, and answers its exit code. */
  @FunctionalInterface
  public interface ExecBehaviour {
    int run(ExecSpec exec, LogSink sink);
  }

  /** What every later exec does. */
  public synchronized void execs(ExecBehaviour behaviour) {
    this.execs = behaviour;
  }

  private static int printing(ExecSpec exec, LogSink sink) {
    List<String> command = exec.command();
    if (command.size() == 3 && command.get(0).equals("print")) {
      sink.line(LogSink.Stream.STDOUT, Instant.now(), command.get(1));
      return Integer.parseInt(command.get(2));
    }
    return 0;
  }

  /** The commands run in containers, oldest first. */
  public synchronized List<ExecSpec> executed() {
    return List.copyOf(executed);
  }

  @Override
  public synchronized List<ManagedContainer> listManaged(String installation) {
    enter("listManaged", installation);
    return containers.values().stream()
        .filter(c -> installation.equals(c.spec.labels().get(ContainerLabels.INSTALLATION)))
        .filter(
            c ->
                c.spec.labels().containsKey(ContainerLabels.JOB)
                    || c.spec.labels().containsKey(ContainerLabels.POOL))
        .map(
            c ->
                new ManagedContainer(
                    c.id,
                    c.spec.name(),
                    c.state.name().toLowerCase(java.util.Locale.ROOT),
                    Map.copyOf(c.spec.labels())))
        .toList();
  }

  @Override
  public synchronized boolean interruptedByEngine(ContainerExit exit) {
    return down || endedByEngine.contains(exit);
  }

  // ---- inside ----

  /**
   * Runs what is scripted to happen before the call, records the call, then fails it if the engine
   * is down or a failure is scripted for it.
   */
  private void enter(String operation, String argument) {
    Runnable action = before.remove(operation);
    if (action != null) {
      action.run();
    }
    calls.add(argument.isEmpty() ? operation : operation + " " + argument);
    if (down) {
      throw unreachable(operation, argument);
    }
    RuntimeException failure = failures.remove(operation);
    if (failure != null) {
      throw failure;
    }
  }

  private static ContainerRuntimeException unreachable(String operation, String argument) {
    return new ContainerRuntimeException(
        "The engine could not be reached to " + operation + " " + argument + " (scripted)",
        true,
        null);
  }

  /** Like the engine, takes a container's name or its id. */
  private Container lookup(String reference) {
    Container byName = containers.get(reference);
    if (byName != null) {
      return byName;
    }
    return containers.values().stream()
        .filter(c -> c.id.equals(reference))
        .findFirst()
        .orElse(null);
  }

  private Container required(String name, String operation) {
    Container container = lookup(name);
    if (container == null) {
      throw new ContainerRefusedException(
          "The engine refused to " + operation + " " + name + ": No such container", null);
    }
    return container;
  }

  private Container existing(String name) {
    Container container = lookup(name);
    if (container == null) {
      throw new IllegalArgumentException("No container " + name);
    }
    return container;
  }

  private void end(Container container, int exitCode, boolean oomKilled) {
    if (container.state != State.RUNNING) {
      throw new IllegalStateException(container.spec.name() + " does not run");
    }
    container.state = State.EXITED;
    container.exit = new ContainerExit(exitCode, oomKilled, null, Instant.now(), null);
    notifyAll();
  }

  private void await(String operation, String name) {
    try {
      wait();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new ContainerRuntimeException("Interrupted while " + operation + " " + name, true, e);
    }
    if (down) {
      throw unreachable(operation, name);
    }
  }
}
