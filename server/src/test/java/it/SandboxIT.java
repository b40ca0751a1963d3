package it;

import static it.support.Api.awaitEnd;
import static it.support.Api.awaitState;
import static it.support.Api.logs;
import static it.support.Api.submit;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.github.dockerjava.api.command.InspectContainerResponse;
import com.github.dockerjava.api.model.Bind;
import com.github.dockerjava.api.model.Capability;
import com.github.dockerjava.api.model.HostConfig;
import com.github.dockerjava.api.model.Ulimit;
import it.support.Api;
import it.support.Engine;
import jakarta.json.JsonObject;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** Every job container is confined: checked from the engine's side and from inside. */
class SandboxIT {

  @Test
  void containerCarriesEverySandboxSetting() {
    String id = submit(Api.shellJob("sleep 30")).getString("id");
    awaitState(id, Duration.ofSeconds(30), "RUNNING");
    try {
      InspectContainerResponse container =
          Engine.docker().inspectContainerCmd("stevedore-" + id + "-1").exec();
      HostConfig host = container.getHostConfig();

      assertEquals("65534:65534", container.getConfig().getUser());
      assertTrue(Arrays.asList(host.getCapDrop()).contains(Capability.ALL));
      assertTrue(host.getSecurityOpts().contains("no-new-privileges:true"));
      assertTrue(host.getReadonlyRootfs());
      assertTrue(host.getTmpFs().containsKey("/tmp"), host.getTmpFs().toString());
      assertTrue(host.getTmpFs().get("/tmp").contains("size="));
      assertEquals(256L, host.getPidsLimit());
      assertEquals(512L * 1024 * 1024, host.getMemory());
      assertEquals(host.getMemory(), host.getMemorySwap(), "no swap beyond the memory limit");
      assertEquals(1_000_000_000L, host.getNanoCPUs());
      Map<String, Ulimit> ulimits =
          Arrays.stream(host.getUlimits()).collect(Collectors.toMap(Ulimit::getName, u -> u));
      assertNotNull(ulimits.get("nofile"));
      assertNotNull(ulimits.get("nproc"));
      assertEquals("none", host.getNetworkMode());
      assertFalse(Boolean.TRUE.equals(host.getPrivileged()));
      assertTrue(
          host.getSecurityOpts() == null
              || host.getSecurityOpts().stream().noneMatch(o -> o.contains("unconfined")),
          "the default seccomp profile stays");
      List<String> mounts =
          Arrays.stream(host.getBinds())
              .map(Bind::getVolume)
              .map(v -> v.getPath())
              .sorted()
              .toList();
      assertEquals(List.of("/workspace/in", "/workspace/out"), mounts);
      for (Bind bind : host.getBinds()) {
        assertTrue(
            bind.getPath().contains(id), "only the job's own directories: " + bind.getPath());
        assertFalse(bind.getPath().contains("docker.sock"));
      }
    } finally {
      Api.post("/api/v1/jobs/" + id + "/cancel", "");
      awaitEnd(id);
    }
  }

  @Test
  void insideTheContainerNothingIsAllowedThatNeedNotBe() {
    String script =
        String.join(
            "; ",
            "echo uid=$(id -u)",
            "grep CapEff /proc/self/status",
            "grep NoNewPrivs /proc/self/status",
            "touch /not-allowed 2>/dev/null && echo root-writable || echo root-read-only",
            "echo tmp > /tmp/scratch && echo tmp-writable",
            "echo interfaces=$(ls /sys/class/net | tr '\\n' ' ')",
            "echo prompt-file=$(cat /workspace/in/prompt.txt)",
            "echo prompt-env=$STEVEDORE_PROMPT");
    String spec = Api.shellSpec(script).add("prompt", "summarize this").build().toString();
    String id = submit(spec).getString("id");

    JsonObject job = awaitEnd(id);
    String output = logs(id);

    assertEquals("SUCCEEDED", job.getString("state"), output);
    assertTrue(output.contains("uid=65534\n"), output);
    assertTrue(output.matches("(?s).*CapEff:\\s+0000000000000000\n.*"), output);
    assertTrue(output.matches("(?s).*NoNewPrivs:\\s+1\n.*"), output);
    assertTrue(output.contains("root-read-only"), output);
    assertTrue(output.contains("tmp-writable"), output);
    assertTrue(output.contains("interfaces=lo\n"), "only loopback: " + output);
    assertTrue(output.contains("prompt-file=summarize this"), output);
    assertTrue(output.contains("prompt-env=summarize this"), output);
  }
}
