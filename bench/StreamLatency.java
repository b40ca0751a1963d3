import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Time from a container writing a line to a client receiving it: over Stevedore's WebSocket,
 * and over `docker logs -f --timestamps` on the same containers, in the same run. Both sides
 * measure against the engine's own receive time of each line (the `time` of a WebSocket
 * message, the timestamp `docker logs` prints). The first second of each stream is left out
 * (clients attach while it runs). Run with plain Java: java bench/StreamLatency.java URL KEY
 * STREAMS SECONDS
 */
public class StreamLatency {

  static final HttpClient HTTP = HttpClient.newHttpClient();
  static final Pattern ID = Pattern.compile("\"id\":\"([0-9a-f-]{36})\"");
  static final Pattern TICKET = Pattern.compile("\"ticket\":\"([^\"]+)\"");
  static final Pattern TIME = Pattern.compile("\"seq\":(\\d+),\"stream\":\"[a-z]+\",\"time\":\"([^\"]+)\"");

  public static void main(String[] args) throws Exception {
    String base = args[0];
    String key = args[1];
    int streams = Integer.parseInt(args[2]);
    int seconds = Integer.parseInt(args[3]);
    int lines = 100 * seconds;
    String script =
        "i=0; while [ $i -lt " + lines + " ]; do i=$((i+1)); echo line $i; usleep 10000; done";
    List<Long> ws = Collections.synchronizedList(new ArrayList<>());
    List<Long> docker = Collections.synchronizedList(new ArrayList<>());
    List<String> problems = Collections.synchronizedList(new ArrayList<>());
    CountDownLatch done = new CountDownLatch(2 * streams);
    List<String> ids = new ArrayList<>();
    for (int s = 0; s < streams; s++) {
      String body =
          "{\"name\":\"bench-stream\",\"image\":\"stevedore/agent:latest\",\"command\":[\"sh\",\"-c\",\""
              + script.replace("\"", "\\\"")
              + "\"]}";
      String job = post(base + "/api/v1/jobs", key, body);
      Matcher id = ID.matcher(job);
      id.find();
      ids.add(id.group(1));
    }
    for (String id : ids) {
      Matcher ticket = TICKET.matcher(post(base + "/api/v1/tickets", key, ""));
      ticket.find();
      URI uri = URI.create(base.replaceFirst("^http", "ws") + "/ws/jobs/" + id + "/logs?ticket=" + ticket.group(1));
      HTTP.newWebSocketBuilder().buildAsync(uri, new Listener(ws, problems, done)).join();
    }
    for (String id : ids) {
      new Thread(() -> followDocker(id, docker, done)).start();
    }
    done.await(seconds + 120L, TimeUnit.SECONDS);
    System.out.printf("| %d stream(s) of 100 lines/s, %d s | p50 | p95 | p99 | lines |%n", streams, seconds);
    System.out.println("| --- | --- | --- | --- | --- |");
    row("`docker logs -f --timestamps`", docker);
    row("Stevedore WebSocket", ws);
    System.out.printf("| ratio (WebSocket / docker logs) | %.2f | %.2f | %.2f | |%n",
        ratio(ws, docker, 50), ratio(ws, docker, 95), ratio(ws, docker, 99));
    System.out.println();
    System.out.println(problems.isEmpty() ? "No line lost or out of order on the WebSocket." : "Problems: " + problems);
  }

  static void row(String name, List<Long> micros) {
    System.out.printf("| %s | %.1f ms | %.1f ms | %.1f ms | %d |%n", name,
        pct(micros, 50) / 1000.0, pct(micros, 95) / 1000.0, pct(micros, 99) / 1000.0, micros.size());
  }

  static double ratio(List<Long> a, List<Long> b, int p) {
    return (double) pct(a, p) / Math.max(1, pct(b, p));
  }

  static long pct(List<Long> values, int p) {
    List<Long> sorted = new ArrayList<>(values);
    Collections.sort(sorted);
    if (sorted.isEmpty()) {
      return 0;
    }
    return sorted.get(Math.min(sorted.size() - 1, (int) Math.ceil(p / 100.0 * sorted.size()) - 1));
  }

  static long microsSince(Instant then) {
    Duration d = Duration.between(then, Instant.now());
    return d.toNanos() / 1000;
  }

  static void followDocker(String id, List<Long> out, CountDownLatch done) {
    String container = "stevedore-" + id + "-1";
    try {
      Process wait = null;
      for (int i = 0; i < 200; i++) { // until the container exists
        Process probe = new ProcessBuilder("docker", "inspect", container).redirectErrorStream(true).start();
        probe.getInputStream().readAllBytes();
        if (probe.waitFor() == 0) {
          break;
        }
        Thread.sleep(50);
      }
      Process logs = new ProcessBuilder("docker", "logs", "-f", "--timestamps", container).redirectErrorStream(true).start();
      try (BufferedReader reader = new BufferedReader(new InputStreamReader(logs.getInputStream()))) {
        for (String line; (line = reader.readLine()) != null; ) {
          long now = System.nanoTime();
          int space = line.indexOf(' ');
          if (space < 0) {
            continue;
          }
          int n = Integer.parseInt(line.substring(line.lastIndexOf(' ') + 1));
          if (n > 100) {
            out.add(microsSince(Instant.parse(line.substring(0, space))));
          }
        }
      }
    } catch (Exception e) {
      // the container was removed: the stream ends
    } finally {
      done.countDown();
    }
  }

  static String post(String url, String key, String body) throws Exception {
    HttpResponse<String> response =
        HTTP.send(
            HttpRequest.newBuilder(URI.create(url))
                .header("Authorization", "Bearer " + key)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    if (response.statusCode() >= 300) {
      throw new IllegalStateException(url + ": " + response.statusCode() + " " + response.body());
    }
    return response.body();
  }

  static final class Listener implements WebSocket.Listener {
    final List<Long> out;
    final List<String> problems;
    final CountDownLatch done;
    final StringBuilder partial = new StringBuilder();
    long lastSeq;

    Listener(List<Long> out, List<String> problems, CountDownLatch done) {
      this.out = out;
      this.problems = problems;
      this.done = done;
    }

    @Override
    public CompletionStage<?> onText(WebSocket socket, CharSequence data, boolean last) {
      partial.append(data);
      if (last) {
        String message = partial.toString();
        partial.setLength(0);
        Matcher m = TIME.matcher(message);
        if (m.find()) {
          long seq = Long.parseLong(m.group(1));
          if (seq != lastSeq + 1) {
            problems.add("seq " + seq + " after " + lastSeq);
          }
          lastSeq = seq;
          if (seq > 100) {
            out.add(microsSince(Instant.parse(m.group(2))));
          }
        }
      }
      socket.request(1);
      return null;
    }

    @Override
    public CompletionStage<?> onClose(WebSocket socket, int code, String reason) {
      done.countDown();
      return null;
    }
  }
}
