package dev.stevedore.pool;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.stevedore.core.JobId;
import dev.stevedore.core.NodeIdentity;
import dev.stevedore.dispatch.ManualExecutor;
import dev.stevedore.job.JobSpec;
import dev.stevedore.runtime.ContainerLabels;
import dev.stevedore.runtime.ContainerSpec;
import dev.stevedore.runtime.ExecSpec;
import dev.stevedore.runtime.InMemoryContainerRuntime;
import dev.stevedore.runtime.Sandbox;
import dev.stevedore.runtime.SandboxPolicy;
import dev.stevedore.workspace.TestWorkspaces;
import jakarta.enterprise.event.Event;
import jakarta.enterprise.event.NotificationOptions;
import jakarta.enterprise.util.TypeLiteral;
import java.io.IOException;
import java.lang.annotation.Annotation;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletionStage;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * How a node keeps its warm pools, on the in-memory engine: filled to size, a container taken and
 * handed back, emptied for the same tenant only, replaced after an unclean end or a failed init,
 * started cold when the pool says so, and adopted after a restart only if it was warm.
 */
class WarmPoolsTest {

  private static final String IMAGE = "stevedore/agent:latest";
  private static final String INSTALLATION = "inst-1";
  private static final String NODE = "node-1";

  @TempDir Path data;

  private final InMemoryContainerRuntime engine = new InMemoryContainerRuntime().withImage(IMAGE);
  private final ManualExecutor executor = new ManualExecutor();
  private final Map<String, Pool> stored = new LinkedHashMap<>();
  private final List<PoolChanged> events = new ArrayList<>();
  private WarmPools pools;
  private final List<String> signalled = new ArrayList<>();

  /** The keeper's part in the in-memory engine: at USR1 it says, in out/, that it emptied. */
  @BeforeEach
  void keeper() {
    engine.onSignal(
        (spec, signal) -> {
          signalled.add("signal " + spec.name());
          Path out = spec.mounts().get(2).source();
          try {
            Files.createFile(out.resolve(WarmPools.EMPTIED));
          } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
          }
        });
  }

  @BeforeEach
  void wire() {
    pools = new WarmPools();
    pools.runtime = engine;
    pools.repository =
        new PoolRepository() {
          @Override
          public Optional<Pool> find(String name) {
            return Optional.ofNullable(stored.get(name));
          }

          @Override
          public List<Pool> all() {
            return List.copyOf(stored.values());
          }
        };
    pools.sandbox =
        new SandboxPolicy() {
          @Override
          public Sandbox sandbox() {
            return new Sandbox(true, true, true, 64L << 20, "65534:65534", 1024, 4096, null);
          }
        };
    pools.node =
        new NodeIdentity() {
          @Override
          public String installation() {
            return INSTALLATION;
          }

          @Override
          public String name() {
            return NODE;
          }
        };
    pools.workspaces = TestWorkspaces.at(data);
    pools.changes = new Recorded();
    pools.cancelGraceSeconds = 1;
    pools.executor = executor.executor();
    pools.scheduler = executor.scheduler();
  }

  @Test
  void eachPoolIsFilledToItsSizeWithSandboxedKeepers() {
    define("py", "never", 2, null, "wait");

    fill();

    assertEquals(2, status("py").warm());
    List<ContainerSpec> made = engine.created();
    assertEquals(2, made.size());
    ContainerSpec spec = made.get(0);
    assertEquals(WarmPools.KEEPER, spec.command());
    assertEquals("65534:65534", spec.sandbox().user());
    assertEquals("py", spec.labels().get(ContainerLabels.POOL));
    assertEquals("1", spec.labels().get(ContainerLabels.POOL_REVISION));
    assertEquals(INSTALLATION, spec.labels().get(ContainerLabels.INSTALLATION));
    assertFalse(spec.labels().containsKey(ContainerLabels.JOB));
    assertEquals(
        List.of("/workspace", "/workspace/in", "/workspace/out"),
        spec.mounts().stream().map(ContainerSpec.Mount::target).toList());
    assertFalse(spec.mounts().get(0).readOnly());
    assertTrue(spec.mounts().get(1).readOnly());
    assertEquals("2", spec.labels().get(ContainerLabels.POOL_LAYOUT));

    pools.maintain();
    executor.runAll();
    assertEquals(2, engine.created().size(), "a full pool starts no more");
  }

  @Test
  void aReusedContainerIsEmptiedAndServesOnlyTheTenantItServed() {
    define("py", "tenant", 1, null, "wait");
    fill();

    PoolLease first = pools.reserve("py", "a", job(1)).orElseThrow();
    assertTrue(first.warm());
    pools.prepare(first);
    pools.release(first, true);
    executor.runAll();

    assertEquals(List.of("signal " + first.containerName()), signalled);
    assertEquals(1, status("py").warm());
    PoolLease again = pools.reserve("py", "a", job(2)).orElseThrow();
    assertEquals(first.containerName(), again.containerName(), "the same tenant reuses it");
    pools.prepare(again);
    pools.release(again, true);
    executor.runAll();

    assertTrue(pools.reserve("py", "b", job(3)).isEmpty(), "another tenant waits");
    executor.runAll(); // the other tenant's free container is replaced
    assertFalse(engine.names().contains(first.containerName()));
    fill();
    PoolLease ofB = pools.reserve("py", "b", job(3)).orElseThrow();
    assertNotEquals(first.containerName(), ofB.containerName());
    assertEquals(1, status("py").misses());
  }

  @Test
  void aContainerIsReplacedAfterAnUncleanEndOrItsLastUse() {
    define("py", "tenant", 1, null, "wait");
    fill();
    PoolLease failed = pools.reserve("py", "a", job(1)).orElseThrow();
    pools.prepare(failed);

    pools.release(failed, false);
    executor.runAll();

    assertFalse(engine.names().contains(failed.containerName()));
    assertTrue(engine.executed().isEmpty(), "nothing is emptied that is replaced anyway");
    fill();
    assertEquals(1, status("py").warm());
  }

  @Test
  void aContainerWhoseInitFailsIsNotWarmAndTheFailureIsShown() {
    define("py", "never", 1, List.of("sh", "-c", "exit 7"), "wait");
    engine.execs((exec, sink) -> exec.command().equals(List.of("sh", "-c", "exit 7")) ? 7 : 0);

    fill();

    PoolStatus.Node node = status("py");
    assertEquals(0, node.warm());
    assertEquals(1, node.failed());
    assertTrue(node.lastFailure().contains("init exited with code 7"), node.lastFailure());
    assertTrue(engine.names().isEmpty(), "the failed container is removed");
    fill();
    assertEquals(1, engine.created().size(), "the next start waits for its backoff");
  }

  @Test
  void initRunsAsTheSandboxUserBeforeTheContainerIsWarm() {
    define("py", "never", 1, List.of("sh", "-c", "prepare"), "wait");

    fill();

    ExecSpec init = engine.executed().get(0);
    assertEquals(List.of("sh", "-c", "prepare"), init.command());
    assertEquals("65534:65534", init.user());
    assertEquals(1, status("py").warm());
  }

  @Test
  void aPoolThatStartsColdGivesALeaseWithoutContainerAndMakesOneForTheJob() {
    define("py", "never", 0, null, "cold");
    fill();

    PoolLease cold = pools.reserve("py", "a", job(1)).orElseThrow();
    assertFalse(cold.warm());
    assertNull(cold.containerName());
    pools.prepare(cold);
    assertTrue(engine.names().contains(cold.containerName()));

    pools.release(cold, true);
    executor.runAll();
    assertFalse(engine.names().contains(cold.containerName()), "a cold container goes");
  }

  @Test
  void aChangedDefinitionReplacesFreeContainersAndBusyOnesWhenTheirJobEnds() {
    define("py", "tenant", 2, null, "wait");
    fill();
    PoolLease busy = pools.reserve("py", "a", job(1)).orElseThrow();
    pools.prepare(busy);

    redefine("py", "tenant", 2);
    fill();

    assertFalse(engine.names().contains(freeOf(busy)), "the free one of revision 1 is replaced");
    assertTrue(engine.names().contains(busy.containerName()), "the busy one serves on");
    assertEquals(
        List.of("1", "2"),
        engine.created().stream()
            .map(s -> s.labels().get(ContainerLabels.POOL_REVISION))
            .distinct()
            .toList());
    pools.release(busy, true);
    executor.runAll();
    assertFalse(engine.names().contains(busy.containerName()), "not emptied: replaced");
    fill();
    assertEquals(2, status("py").warm());
  }

  @Test
  void aRemovedPoolsContainersGo() {
    define("py", "never", 2, null, "wait");
    fill();

    stored.remove("py");
    fill();

    assertTrue(engine.names().isEmpty());
    assertEquals(0, status("py").warm());
  }

  @Test
  void aPoolThatDoesNotExistForTheTenantRefusesTheJob() {
    define("py", "never", 1, null, "wait");

    assertTrue(pools.reserve("nope", "a", job(1)).orElseThrow().refusal() != null);
  }

  @Test
  void afterARestartOnlyContainersMarkedWarmAreAdopted() throws IOException {
    define("py", "tenant", 2, null, "wait");
    fill();
    PoolLease busy = pools.reserve("py", "a", job(1)).orElseThrow();
    pools.prepare(busy); // taken: its marker goes
    String warm =
        engine.names().stream().filter(n -> !n.equals(busy.containerName())).findFirst().get();
    Files.createDirectories(data.resolve("pools/left-over"));

    WarmPools restarted = pools;
    wire(); // a new server on the same engine and data directory
    pools.adopt();

    assertEquals(1, status("py").warm());
    assertTrue(engine.names().contains(warm));
    assertFalse(engine.names().contains(busy.containerName()));
    assertFalse(Files.exists(data.resolve("pools/left-over")));
    assertNotEquals(restarted, pools);
  }

  // ---- helpers ----

  private void define(String name, String reuse, int size, List<String> init, String whenBusy) {
    PoolSpec spec =
        new PoolSpec(
            name,
            IMAGE,
            new JobSpec.Resources(0.5, 64, 128),
            "none",
            Map.of(),
            List.of("*"),
            size,
            init,
            30,
            reuse,
            "tenant".equals(reuse) ? 10 : 1,
            3600,
            whenBusy);
    stored.put(name, new Pool(name, PoolSpecJson.write(spec), Instant.now()));
  }

  /** A new revision of the pool's definition, as a PUT makes it. */
  private void redefine(String name, String reuse, int size) {
    Pool pool = stored.get(name);
    PoolSpec old = pool.spec();
    pool.replace(
        PoolSpecJson.write(
            new PoolSpec(
                name,
                old.image(),
                old.resources(),
                old.network(),
                Map.of("CHANGED", "yes"),
                old.tenants(),
                size,
                old.init(),
                old.initTimeoutSeconds(),
                reuse,
                old.maxUses(),
                old.idleSeconds(),
                old.whenBusy())),
        Instant.now());
  }

  /** The pool's other container than the lease's, at the time of the call. */
  private String freeOf(PoolLease lease) {
    return engine.created().stream()
        .map(ContainerSpec::name)
        .filter(n -> !n.equals(lease.containerName()))
        .findFirst()
        .orElseThrow();
  }

  /** One pass, and every start it asked for. */
  private void fill() {
    pools.maintain();
    executor.runAll();
  }

  private PoolStatus.Node status(String pool) {
    return pools.status(pool).nodes().get(0);
  }

  private static JobId job(int n) {
    return new JobId(String.format("00000000-0000-7000-8000-%012d", n));
  }

  /** Records what is fired. */
  private final class Recorded implements Event<PoolChanged> {
    @Override
    public void fire(PoolChanged event) {
      events.add(event);
    }

    @Override
    public <U extends PoolChanged> CompletionStage<U> fireAsync(U event) {
      throw new UnsupportedOperationException();
    }

    @Override
    public <U extends PoolChanged> CompletionStage<U> fireAsync(
        U event, NotificationOptions options) {
      throw new UnsupportedOperationException();
    }

    @Override
    public Event<PoolChanged> select(Annotation... qualifiers) {
      throw new UnsupportedOperationException();
    }

    @Override
    public <U extends PoolChanged> Event<U> select(Class<U> subtype, Annotation... qualifiers) {
      throw new UnsupportedOperationException();
    }

    @Override
    public <U extends PoolChanged> Event<U> select(
        TypeLiteral<U> subtype, Annotation... qualifiers) {
      throw new UnsupportedOperationException();
    }
  }
}
