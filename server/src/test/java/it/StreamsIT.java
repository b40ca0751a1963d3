package it;

import static it.support.Api.awaitEnd;
import static it.support.Api.shellJob;
import static it.support.Api.submit;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

import it.support.Api;
import it.support.Stream;
import jakarta.json.JsonObject;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** Live logs and events over WebSocket. */
class StreamsIT {

  private static final int LINES = 200;

  private static String logs(String id) {
    return "/ws/jobs/" + id + "/logs?ticket=" + Stream.ticket(Api.ADMIN_KEY);
  }

  /** Asserts the stream held lines 1..LINES once each, in order, then the end. */
  private static void assertComplete(Stream stream, String state) {
    List<JsonObject> messages = stream.messages;
    List<JsonObject> lines =
        messages.stream().filter(m -> m.getString("type").equals("line")).toList();
    List<String> expected = IntStream.rangeClosed(1, LINES).mapToObj(i -> "line " + i).toList();
    List<String> texts = lines.stream().map(m -> m.getString("text")).toList();
    for (int i = 0; i < Math.min(expected.size(), texts.size()); i++) {
      assertEquals(expected.get(i), texts.get(i), "line " + (i + 1) + ": " + lines.get(i));
    }
    assertEquals(expected.size(), texts.size(), "lines: " + texts);
    assertEquals(
        IntStream.rangeClosed(1, LINES).boxed().toList(),
        lines.stream().map(m -> m.getInt("seq")).toList(),
        "seq");
    JsonObject last = messages.get(messages.size() - 1);
    assertEquals("end", last.getString("type"), last.toString());
    assertEquals(state, last.getString("state"));
  }

  @Test
  void clientsFromTheStartHalfWayAndAfterTheEndSeeEveryLineInOrder() {
    String id =
        submit(shellJob("for i in $(seq 1 " + LINES + "); do echo line $i; sleep 0.02; done"))
            .getString("id");
    Stream fromStart = Stream.open(logs(id), true);
    await().atMost(Duration.ofSeconds(60)).until(() -> Api.logs(id).contains("line 100\n"));
    Stream halfWay = Stream.open(logs(id), true);

    assertEquals(
        1000, fromStart.closed.orTimeout(60, java.util.concurrent.TimeUnit.SECONDS).join());
    assertEquals(1000, halfWay.closed.orTimeout(60, java.util.concurrent.TimeUnit.SECONDS).join());
    assertComplete(fromStart, "SUCCEEDED");
    assertComplete(halfWay, "SUCCEEDED");
    awaitEnd(id);

    Stream afterEnd = Stream.open(logs(id), true);
    assertEquals(1000, afterEnd.closed.orTimeout(30, java.util.concurrent.TimeUnit.SECONDS).join());
    assertComplete(afterEnd, "SUCCEEDED");
  }

  @Test
  void aClientThatNeverReadsDelaysNeitherTheJobNorOthers() {
    String id =
        submit(shellJob("for i in $(seq 1 " + LINES + "); do echo line $i; done; sleep 1"))
            .getString("id");
    Stream stuck = Stream.open(logs(id), false);
    Stream reader = Stream.open(logs(id), true);

    JsonObject ended = Api.awaitState(id, Duration.ofSeconds(30), "SUCCEEDED", "FAILED");

    assertEquals("SUCCEEDED", ended.getString("state"));
    assertEquals(1000, reader.closed.orTimeout(30, java.util.concurrent.TimeUnit.SECONDS).join());
    assertComplete(reader, "SUCCEEDED");
    stuck.abort();
  }

  @Test
  void noTicketOrAnotherTenantsJobIsRefused() {
    String id = submit(shellJob("true")).getString("id");
    assertEquals(401, Stream.handshakeStatus("/ws/jobs/" + id + "/logs"));
    assertEquals(401, Stream.handshakeStatus("/ws/jobs/" + id + "/logs?ticket=forged"));
    assertEquals(401, Stream.handshakeStatus("/ws/events"));

    String tenant = "t-" + UUID.randomUUID().toString().substring(0, 8);
    assertEquals(201, Api.post("/api/v1/tenants", "{\"id\":\"" + tenant + "\"}").statusCode());
    HttpResponse<String> key =
        Api.post(
            "/api/v1/keys",
            "{\"name\":\"other\",\"role\":\"viewer\",\"tenant\":\"" + tenant + "\"}");
    String otherTicket = Stream.ticket(Api.json(key).getString("key"));
    assertEquals(404, Stream.handshakeStatus("/ws/jobs/" + id + "/logs?ticket=" + otherTicket));

    String ticket = Stream.ticket(Api.ADMIN_KEY);
    assertEquals(101, Stream.handshakeStatus("/ws/jobs/" + id + "/logs?ticket=" + ticket));
    assertEquals(
        401, Stream.handshakeStatus("/ws/jobs/" + id + "/logs?ticket=" + ticket), "single use");
    awaitEnd(id);
  }

  @Test
  void eventsArriveAsStatesChange() {
    Stream events = Stream.open("/ws/events?ticket=" + Stream.ticket(Api.ADMIN_KEY), true);
    String id = submit(shellJob("true")).getString("id");
    awaitEnd(id);

    await()
        .atMost(Duration.ofSeconds(10))
        .until(
            () ->
                events.messages.stream()
                    .filter(m -> id.equals(m.getString("jobId", null)))
                    .anyMatch(m -> m.getString("to").equals("SUCCEEDED")));
    List<String> states =
        events.messages.stream()
            .filter(m -> id.equals(m.getString("jobId", null)))
            .map(m -> m.getString("to"))
            .toList();
    assertEquals(List.of("QUEUED", "STARTING", "RUNNING", "SUCCEEDED"), states);
  }
}
