package dev.stevedore.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.stevedore.runtime.InMemoryContainerRuntime.Script;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The contract against the in-memory runtime, and the test controls it offers. */
class InMemoryContainerRuntimeTest extends ContainerRuntimeContract {

  private InMemoryContainerRuntime memory;

  @Override
  protected ContainerRuntime newRuntime() {
    memory = new InMemoryContainerRuntime();
    return memory;
  }

  @Override
  protected ContainerSpec printing(
      String name, Map<String, String> labels, int lines, int exitCode) {
    Script script = Script.exitsWith(exitCode);
    for (int i = 1; i <= lines; i++) {
      script.prints("line-" + i);
    }
    memory.script(name, script);
    return spec(name, IMAGE, List.of("scripted"), labels);
  }

  @Override
  protected ContainerSpec printingToStderr(String name, Map<String, String> labels, String text) {
    memory.script(name, Script.exitsWith(0).printsToStderr(text));
    return spec(name, IMAGE, List.of("scripted"), labels);
  }

  @Override
  protected ContainerSpec runningUntilStopped(String name, Map<String, String> labels) {
    memory.script(name, Script.runsUntilStopped());
    return spec(name, IMAGE, List.of("scripted"), labels);
  }

  @Override
  protected ExecSpec printingExec(String text, int exitCode) {
    return new ExecSpec(List.of("print", text, Integer.toString(exitCode)), Map.of(), null, null);
  }

  private ContainerSpec started(String name, Script script) {
    memory.script(name, script);
    ContainerSpec spec = spec(name, IMAGE, List.of("scripted"), Map.of());
    memory.create(spec);
    memory.start(name);
    return spec;
  }

  @Test
  void aFollowerSeesLinesPrintedWhileItRunsAndAnExitByTheTest() throws Exception {
    started("c", Script.runsUntilStopped().prints("first"));
    List<String> seen = new ArrayList<>();
    CompletableFuture<Void> follower =
        CompletableFuture.runAsync(() -> memory.followLogs("c", (s, t, text) -> seen.add(text)));

    memory.print("c", LogSink.Stream.STDOUT, "second");
    memory.exit("c", 4);
    follower.get(5, TimeUnit.SECONDS);

    assertEquals(List.of("first", "second"), seen);
    assertEquals(4, memory.awaitExit("c").exitCode());
  }

  @Test
  void anOomKillIsReported() {
    started("c", Script.oomKilled().prints("allocating"));

    ContainerExit exit = memory.awaitExit("c");

    assertEquals(InMemoryContainerRuntime.KILLED, exit.exitCode());
    assertTrue(exit.oomKilled());
  }

  @Test
  void anImageThatCannotBePulledIsUnavailable() {
    memory.withoutImage("gone:1");

    assertThrows(ImageUnavailableException.class, () -> memory.ensureImage("gone:1"));
  }

  @Test
  void anEngineThatIsDownFailsEveryCallAsUnreachableAndWakesWaiters() throws Exception {
    started("c", Script.runsUntilStopped());
    CompletableFuture<ContainerExit> waiter =
        CompletableFuture.supplyAsync(() -> memory.awaitExit("c"));

    memory.engineDown();

    assertFalse(memory.isAvailable());
    ContainerRuntimeException failure =
        assertThrows(ContainerRuntimeException.class, () -> memory.status("c"));
    assertTrue(failure.engineUnreachable());
    Exception waited = assertThrows(Exception.class, () -> waiter.get(5, TimeUnit.SECONDS));
    assertTrue(
        waited.getCause() instanceof ContainerRuntimeException e && e.engineUnreachable(),
        String.valueOf(waited.getCause()));

    memory.engineUp();
    assertTrue(memory.status("c").orElseThrow().running());
  }

  @Test
  void aRefusedCallFailsOnceAndIsNotUnreachable() {
    memory.refuseNext("start");
    memory.create(spec("c", IMAGE, null, Map.of()));

    ContainerRefusedException refused =
        assertThrows(ContainerRefusedException.class, () -> memory.start("c"));
    assertFalse(refused.engineUnreachable());
    memory.start("c");
    assertTrue(memory.status("c").orElseThrow().running());
  }

  @Test
  void anExitCausedByTheEngineIsToldApart() {
    started("a", Script.runsUntilStopped());
    started("b", Script.runsUntilStopped());

    memory.killByEngine("a");
    memory.stop("b", Duration.ofSeconds(1));

    assertTrue(memory.interruptedByEngine(memory.awaitExit("a")));
    assertFalse(memory.interruptedByEngine(memory.awaitExit("b")));
  }

  @Test
  void whatWasAskedCanBeInspected() {
    ContainerSpec spec = started("c", Script.exitsWith(0));
    memory.create(spec);

    assertEquals(List.of(spec), memory.created(), "an adopted container is not created again");
    assertEquals(spec, memory.spec("c").orElseThrow());
    assertTrue(memory.names().contains("c"));
    assertTrue(memory.calls().containsAll(List.of("create c", "start c")));
  }

  @Test
  void somethingScriptedBeforeACallRunsOnceJustBeforeIt() {
    memory.create(spec("c", IMAGE, null, Map.of()));
    memory.beforeNext("start", () -> memory.stop("c", Duration.ofSeconds(1)));

    memory.start("c");
    memory.start("c");

    List<String> calls = memory.calls();
    assertEquals(
        List.of("create c", "stop c", "start c", "start c"),
        calls.subList(calls.indexOf("create c"), calls.size()));
  }
}
