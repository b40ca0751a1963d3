package it;

import static it.support.Api.get;
import static it.support.Api.shellJob;
import static it.support.Api.submit;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import it.support.Api;
import it.support.Engine;
import jakarta.json.JsonObject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** GET /api/v1/node reports this machine's figures, and its job counts follow the jobs. */
class NodeIT {

  private static final Path DATA_DIR =
      Path.of(System.getProperty("stevedore.data.dir", "target/it-data"));

  @Test
  void resourcesAreThoseOfThisMachine() throws Exception {
    JsonObject node = node();

    long processors =
        Files.readAllLines(Path.of("/proc/cpuinfo")).stream()
            .filter(l -> l.startsWith("processor"))
            .count();
    assertEquals(processors, node.getJsonObject("cpu").getInt("count"));
    double load1 = node.getJsonObject("cpu").getJsonNumber("load1").doubleValue();
    assertTrue(load1 >= 0 && load1 <= processors, "load1 " + load1);

    long memTotal = meminfoBytes("MemTotal");
    JsonObject memory = node.getJsonObject("memory");
    assertWithin(memTotal, memory.getJsonNumber("totalBytes").longValue(), 0.01, "memory total");
    assertTrue(memory.getJsonNumber("availableBytes").longValue() <= memTotal);
    assertTrue(memory.getJsonNumber("availableBytes").longValue() > 0);

    // df: the file system of the data directory, in bytes.
    String[] df =
        exec("df", "-B1", "--output=size,avail", DATA_DIR.toString()).get(1).trim().split("\\s+");
    JsonObject disk = node.getJsonObject("disk");
    assertEquals(DATA_DIR.toRealPath(), Path.of(disk.getString("path")).toRealPath());
    assertWithin(
        Long.parseLong(df[0]), disk.getJsonNumber("totalBytes").longValue(), 0.001, "disk total");
    // Free space moves while the build writes: within 1 % of the disk's size.
    long freeDiff = Math.abs(Long.parseLong(df[1]) - disk.getJsonNumber("freeBytes").longValue());
    assertTrue(freeDiff < Long.parseLong(df[0]) / 100, "free space differs by " + freeDiff);

    JsonObject engine = node.getJsonObject("engine");
    var info = Engine.docker().infoCmd().exec();
    assertTrue(engine.getBoolean("reachable"));
    assertEquals(Engine.docker().versionCmd().exec().getVersion(), engine.getString("version"));
    assertEquals(info.getDriver(), engine.getString("storageDriver"));
    assertEquals(info.getImages().intValue(), engine.getInt("images"));

    double capacity = node.getJsonNumber("capacity").doubleValue();
    assertTrue(capacity >= 0 && capacity <= 1, "capacity " + capacity);
  }

  @Test
  void jobCountsFollowTheJobs() {
    int slots = Integer.getInteger("stevedore.max.concurrent", 2);
    await().atMost(Duration.ofSeconds(120)).until(() -> jobs().getInt("running") == 0);
    assertEquals(slots, jobs().getInt("maxConcurrent"));
    assertEquals(slots, jobs().getInt("freeSlots"));

    List<String> ids = new ArrayList<>();
    for (int i = 0; i < slots + 2; i++) {
      ids.add(submit(shellJob("sleep 4")).getString("id"));
    }
    await()
        .atMost(Duration.ofSeconds(30))
        .until(
            () -> {
              JsonObject jobs = jobs();
              return jobs.getInt("running") == slots
                  && jobs.getInt("freeSlots") == 0
                  && jobs.getInt("queued") >= 1;
            });
    ids.forEach(Api::awaitEnd);
    await()
        .atMost(Duration.ofSeconds(30))
        .until(() -> jobs().getInt("running") == 0 && jobs().getInt("freeSlots") == slots);
  }

  private static JsonObject node() {
    var response = get("/api/v1/node");
    assertEquals(200, response.statusCode(), response.body());
    return Api.json(response);
  }

  private static JsonObject jobs() {
    return node().getJsonObject("jobs");
  }

  private static long meminfoBytes(String field) throws IOException {
    return Files.readAllLines(Path.of("/proc/meminfo")).stream()
            .filter(l -> l.startsWith(field + ":"))
            .mapToLong(l -> Long.parseLong(l.replaceAll("[^0-9]", "")))
            .findFirst()
            .orElseThrow()
        * 1024;
  }

  private static void assertWithin(long expected, long actual, double share, String what) {
    assertTrue(
        Math.abs(expected - actual) <= expected * share,
        what + ": expected " + expected + " within " + share * 100 + " %, was " + actual);
  }

  private static List<String> exec(String... command) throws Exception {
    Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
    List<String> lines = new String(process.getInputStream().readAllBytes()).lines().toList();
    assertEquals(0, process.waitFor(), String.join(" ", command) + ": " + lines);
    return lines;
  }
}
