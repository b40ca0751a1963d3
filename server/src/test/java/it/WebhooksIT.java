package it;

import static it.support.Api.awaitEnd;
import static it.support.Api.json;
import static it.support.Api.shellJob;
import static it.support.Api.submit;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import it.support.Api;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import java.io.IOException;
import java.io.StringReader;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Webhooks against a receiver on loopback port 39999, which the test server's configuration allows
 * (and nothing else internal).
 */
class WebhooksIT {

  private static final int PORT = 39999;
  private static HttpServer receiver;
  private static final Map<String, List<Received>> received = new ConcurrentHashMap<>();
  private static final AtomicInteger flakyCalls = new AtomicInteger();

  record Received(Map<String, String> headers, String body) {
    JsonObject json() {
      return Json.createReader(new StringReader(body)).readObject();
    }
  }

  @BeforeAll
  static void startReceiver() throws IOException {
    receiver = HttpServer.create(new InetSocketAddress("127.0.0.1", PORT), 0);
    receiver.createContext(
        "/",
        exchange -> {
          String path = exchange.getRequestURI().getPath();
          String body =
              new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
          Map<String, String> headers = new ConcurrentHashMap<>();
          exchange.getRequestHeaders().forEach((k, v) -> headers.put(k.toLowerCase(), v.get(0)));
          int status = path.startsWith("/flaky") && flakyCalls.incrementAndGet() <= 2 ? 500 : 200;
          if (status == 200) {
            received
                .computeIfAbsent(path, p -> new CopyOnWriteArrayList<>())
                .add(new Received(headers, body));
          }
          exchange.sendResponseHeaders(status, -1);
          exchange.close();
        });
    receiver.start();
  }

  @AfterAll
  static void stopReceiver() {
    receiver.stop(0);
  }

  private static JsonObject subscribe(String path, List<String> events, String pattern) {
    var body = Json.createObjectBuilder().add("url", "http://127.0.0.1:" + PORT + path);
    var list = Json.createArrayBuilder();
    events.forEach(list::add);
    body.add("events", list);
    if (pattern != null) {
      body.add("logPattern", pattern);
    }
    HttpResponse<String> made = Api.post("/api/v1/webhooks", body.build().toString());
    assertEquals(201, made.statusCode(), made.body());
    return json(made);
  }

  private static void unsubscribe(JsonObject webhook) {
    Api.send(
        java.net.http.HttpRequest.newBuilder(Api.uri("/api/v1/webhooks/" + webhook.getString("id")))
            .DELETE());
  }

  private static boolean validSignature(String secret, Received r) throws Exception {
    Mac mac = Mac.getInstance("HmacSHA256");
    mac.init(
        new SecretKeySpec(
            Base64.getDecoder().decode(secret.substring("whsec_".length())), "HmacSHA256"));
    String signed =
        r.headers().get("webhook-id") + "." + r.headers().get("webhook-timestamp") + "." + r.body();
    String expected =
        "v1,"
            + Base64.getEncoder()
                .encodeToString(mac.doFinal(signed.getBytes(StandardCharsets.UTF_8)));
    return expected.equals(r.headers().get("webhook-signature"));
  }

  @Test
  void stateChangesArriveInOrderAndSigned() throws Exception {
    JsonObject webhook =
        subscribe("/states", List.of("job.queued", "job.started", "job.succeeded"), null);
    try {
      String id = submit(shellJob("true")).getString("id");
      awaitEnd(id);

      await()
          .atMost(Duration.ofSeconds(30))
          .until(
              () ->
                  received.getOrDefault("/states", List.of()).stream()
                          .filter(r -> r.body().contains(id))
                          .count()
                      == 3);
      List<Received> mine =
          received.get("/states").stream().filter(r -> r.body().contains(id)).toList();
      assertEquals(
          List.of("job.queued", "job.started", "job.succeeded"),
          mine.stream().map(r -> r.json().getString("type")).toList());
      for (Received r : mine) {
        assertTrue(validSignature(webhook.getString("secret"), r), r.headers().toString());
      }
    } finally {
      unsubscribe(webhook);
    }
  }

  @Test
  void aReceiverThatFailsTwiceGetsTheDeliveryOnTheThirdTry() {
    flakyCalls.set(0);
    JsonObject webhook = subscribe("/flaky", List.of("job.succeeded"), null);
    try {
      String id = submit(shellJob("true")).getString("id");
      awaitEnd(id);

      await()
          .atMost(Duration.ofSeconds(60))
          .until(
              () ->
                  received.getOrDefault("/flaky", List.of()).stream()
                      .anyMatch(r -> r.body().contains(id)));
      assertEquals(3, flakyCalls.get());
      // The receiver saw the request before the server saw the answer: await the record.
      JsonObject delivery =
          await()
              .atMost(Duration.ofSeconds(10))
              .until(
                  () ->
                      Json.createReader(
                              new StringReader(
                                  Api.get(
                                          "/api/v1/webhooks/"
                                              + webhook.getString("id")
                                              + "/deliveries")
                                      .body()))
                          .readArray()
                          .getJsonObject(0),
                  d -> d.getString("status").equals("DELIVERED"));
      assertEquals(3, delivery.getInt("attempts"));
      assertEquals(200, delivery.getInt("lastStatusCode"));
    } finally {
      unsubscribe(webhook);
    }
  }

  @Test
  void aLogPatternFiresOnceForAMatchingLine() {
    JsonObject webhook = subscribe("/logs", List.of("job.log"), "^ALERT ");
    try {
      String id =
          submit(shellJob("echo fine; echo 'ALERT disk full'; echo 'not an ALERT '"))
              .getString("id");
      awaitEnd(id);

      await()
          .atMost(Duration.ofSeconds(30))
          .until(
              () ->
                  received.getOrDefault("/logs", List.of()).stream()
                      .anyMatch(r -> r.body().contains(id)));
      // And no second one follows (the last line mentions ALERT, but not at its start).
      await()
          .during(Duration.ofSeconds(3))
          .atMost(Duration.ofSeconds(5))
          .until(
              () -> received.get("/logs").stream().filter(r -> r.body().contains(id)).count() == 1);
      List<Received> mine =
          received.get("/logs").stream().filter(r -> r.body().contains(id)).toList();
      assertEquals(1, mine.size(), mine.toString());
      assertEquals("ALERT disk full", mine.get(0).json().getJsonObject("data").getString("text"));
    } finally {
      unsubscribe(webhook);
    }
  }

  @Test
  void aJobsOwnCallbackHearsThatJobOnly() throws Exception {
    String secret =
        "whsec_"
            + Base64.getEncoder()
                .encodeToString("0123456789abcdef0123".getBytes(StandardCharsets.UTF_8));
    String spec =
        Api.shellSpecCalling(
                "true",
                Json.createObjectBuilder()
                    .add("url", "http://127.0.0.1:" + PORT + "/callback")
                    .add("events", Json.createArrayBuilder().add("job.succeeded"))
                    .add("secret", secret))
            .build()
            .toString();
    JsonObject submitted = submit(spec);
    String id = submitted.getString("id");
    String other = submit(shellJob("true")).getString("id");
    awaitEnd(id);
    awaitEnd(other);

    await()
        .atMost(Duration.ofSeconds(30))
        .until(
            () ->
                received.getOrDefault("/callback", List.of()).stream()
                    .anyMatch(r -> r.body().contains(id)));
    // Nothing more comes: the other job's end is not sent to this job's callback.
    await()
        .during(Duration.ofSeconds(3))
        .atMost(Duration.ofSeconds(5))
        .until(() -> received.get("/callback").size() == 1);
    List<Received> calls = received.get("/callback");
    assertEquals(1, calls.size(), calls.toString());
    assertEquals("job.succeeded", calls.get(0).json().getString("type"));
    assertTrue(validSignature(secret, calls.get(0)));
    assertEquals(
        "***",
        submitted
            .getJsonObject("spec")
            .getJsonArray("callbacks")
            .getJsonObject(0)
            .getString("secret"));
    assertTrue(!Api.job(id).toString().contains(secret));
    assertTrue(
        !Api.get("/api/v1/webhooks").body().contains("/callback"), "not a tenant subscription");
  }

  @Test
  void aJobWithAnInternalCallbackIsRefusedAndNotCreated() {
    String newest = Api.newestJobId();
    String spec =
        Api.shellSpec("true")
            .add(
                "callbacks",
                Json.createArrayBuilder()
                    .add(
                        Json.createObjectBuilder()
                            .add("url", "http://169.254.169.254/latest")
                            .add("secret", "whsec_MDEyMzQ1Njc4OWFiY2RlZjAxMjM=")))
            .build()
            .toString();

    HttpResponse<String> refused = Api.post("/api/v1/jobs", spec);

    assertEquals(400, refused.statusCode(), refused.body());
    assertTrue(refused.body().contains("callbacks[0].url"), refused.body());
    assertEquals(newest, Api.newestJobId());
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "http://127.0.0.1/",
        "http://[::1]/",
        "http://169.254.169.254/",
        "http://10.0.0.1/",
        "http://0x7f000001/",
        "http://[::ffff:127.0.0.1]/",
        "http://localhost/",
        "http://[::127.0.0.1]/",
        "http://[64:ff9b::7f00:1]/",
        "http://[2002:7f00:1::]/",
        "http://[2001:0:5db8:d822:0:0:80ff:fffe]/"
      })
  void internalTargetsAreRefused(String url) {
    HttpResponse<String> refused =
        Api.post("/api/v1/webhooks", "{\"url\":\"" + url + "\",\"events\":[\"job.succeeded\"]}");
    assertEquals(400, refused.statusCode(), refused.body());
    // Refused for where it leads; a hex address is not even a host name to the JDK.
    String why = url.contains("0x") ? "does not resolve" : "internal address";
    assertTrue(refused.body().contains(why), refused.body());
    if (!url.contains("0x")) {
      // Says how an administrator opens a target on purpose.
      assertTrue(refused.body().contains("STEVEDORE_WEBHOOKS_ALLOWED_TARGETS"), refused.body());
    }
  }

  @Test
  void theServersOwnAddressesAreRefused() throws Exception {
    // The tests run on the server's machine: its interfaces are the server's.
    for (NetworkInterface nic : Collections.list(NetworkInterface.getNetworkInterfaces())) {
      for (InetAddress address : Collections.list(nic.getInetAddresses())) {
        if (address.isLoopbackAddress() || address instanceof Inet6Address) {
          continue;
        }
        String url = "http://" + address.getHostAddress() + ":9/";
        HttpResponse<String> refused =
            Api.post(
                "/api/v1/webhooks", "{\"url\":\"" + url + "\",\"events\":[\"job.succeeded\"]}");
        assertEquals(400, refused.statusCode(), url + " " + refused.body());
      }
    }
  }
}
