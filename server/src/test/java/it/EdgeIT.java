package it;

import static it.support.Api.json;
import static it.support.Api.shellJob;
import static it.support.Api.submit;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import it.support.Api;
import it.support.Stream;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.json.stream.JsonParser;
import jakarta.json.stream.JsonParsingException;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.StringReader;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The server's edge as clients and attackers meet it: what every answer under /api and /ws looks
 * like before and after authentication, WebSocket authentication and origins, security headers, and
 * what revoking a key does to the streams and tickets it opened.
 */
class EdgeIT {

  private static final String BAD_KEY = "sdk_" + "B".repeat(40);
  private static final String OWN_ORIGIN = Api.BASE;

  /** Listed in the test server's STEVEDORE_STREAMS_ALLOWED_ORIGINS. */
  private static final String LISTED_ORIGIN = "https://console.example";

  private static final Path FFDC =
      Path.of(
          System.getProperty("stevedore.wlp.dir", "target/liberty/wlp"),
          "usr",
          "servers",
          System.getProperty("stevedore.server.name", "stevedore-it"),
          "logs",
          "ffdc");
  private static Set<String> ffdcBefore;

  @BeforeAll
  static void rememberIncidents() throws IOException {
    ffdcBefore = incidents();
  }

  /** Client errors are the client's: the server records no incident (FFDC) for any of them. */
  @AfterAll
  static void noIncidentWasRecorded() throws IOException {
    Set<String> added = incidents();
    added.removeAll(ffdcBefore);
    assertEquals(Set.of(), added, "FFDC incidents written during the test in " + FFDC);
  }

  private static Set<String> incidents() throws IOException {
    if (!Files.isDirectory(FFDC)) {
      return new TreeSet<>();
    }
    try (var files = Files.list(FFDC)) {
      return files
          .map(f -> f.getFileName().toString())
          .collect(Collectors.toCollection(TreeSet::new));
    }
  }

  /**
   * Refusals that the job's own rules make (a cancel of an ended job, a runner ending a cancelled
   * one, a full queue, a callback to an internal address) are answers, not faults: the {@link
   * #noIncidentWasRecorded} check after this class covers them too.
   */
  @Test
  void expectedRefusalsAreAnswersNotIncidents() {
    String ended = submit(shellJob("true")).getString("id");
    Api.awaitEnd(ended);
    assertEquals(409, Api.post("/api/v1/jobs/" + ended + "/cancel", "").statusCode());

    String running = submit(shellJob("echo up; sleep 30")).getString("id");
    Api.awaitState(running, Duration.ofSeconds(30), "RUNNING");
    assertEquals(200, Api.post("/api/v1/jobs/" + running + "/cancel", "").statusCode());
    await()
        .atMost(Duration.ofSeconds(30))
        .until(() -> Api.get("/api/v1/jobs/" + running + "/output").statusCode() == 200);

    String callback =
        "{\"image\":\"stevedore/agent:latest\",\"command\":[\"true\"],\"callbacks\":"
            + "[{\"url\":\"http://169.254.169.254/\",\"secret\":\"whsec_MDEyMzQ1Njc4OWFiY2RlZjAxMjM=\"}]}";
    assertEquals(400, Api.post("/api/v1/jobs", callback).statusCode());

    String tenant = "t-" + UUID.randomUUID().toString().substring(0, 8);
    assertEquals(
        201,
        Api.post("/api/v1/tenants", "{\"id\":\"" + tenant + "\",\"maxRunning\":0,\"maxQueued\":1}")
            .statusCode());
    String key =
        json(Api.post(
                "/api/v1/keys",
                "{\"name\":\"it-full\",\"role\":\"SUBMITTER\",\"tenant\":\"" + tenant + "\"}"))
            .getString("key");
    List<HttpResponse<String>> answers = new ArrayList<>();
    for (int i = 0; i < 2; i++) {
      answers.add(
          Api.sendAs(
              key,
              HttpRequest.newBuilder(Api.uri("/api/v1/jobs"))
                  .header("Content-Type", "application/json")
                  .POST(HttpRequest.BodyPublishers.ofString(shellJob("true")))));
    }
    assertEquals(
        List.of(201, 429), answers.stream().map(HttpResponse::statusCode).toList(), "quota");
    // The queued one would wait for ever at maxRunning 0: other tests expect an empty queue.
    String queued = json(answers.get(0)).getString("id");
    assertEquals(200, Api.post("/api/v1/jobs/" + queued + "/cancel", "").statusCode());
  }

  // ---- requests of the matrix ----

  /** One request of the matrix: a name for messages, and how to build it. */
  private record Call(String name, HttpRequest.Builder request) {}

  private static List<Call> apiCalls() {
    return List.of(
        new Call("unknown route", HttpRequest.newBuilder(Api.uri("/api/v1/nope")).GET()),
        new Call("wrong method", HttpRequest.newBuilder(Api.uri("/api/v1/jobs")).DELETE()),
        new Call(
            "wrong content type",
            HttpRequest.newBuilder(Api.uri("/api/v1/jobs"))
                .header("Content-Type", "text/plain")
                .POST(HttpRequest.BodyPublishers.ofString("x"))),
        new Call(
            "malformed JSON",
            HttpRequest.newBuilder(Api.uri("/api/v1/jobs"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{x"))),
        new Call(
            "JSON of the wrong shape",
            HttpRequest.newBuilder(Api.uri("/api/v1/jobs"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"resources\":5}"))),
        new Call("outside the API's version", HttpRequest.newBuilder(Api.uri("/api/x")).GET()),
        new Call("the API's root", HttpRequest.newBuilder(Api.uri("/api")).GET()));
  }

  @Test
  void withoutAValidKeyEveryApiAnswerIsTheSame401Problem() {
    for (String key : new String[] {null, BAD_KEY}) {
      List<String> bodies = new ArrayList<>();
      for (Call call : apiCalls()) {
        HttpResponse<String> answer = Api.sendAs(key, call.request());
        String what = call.name() + (key == null ? " without a key" : " with a bad key");
        JsonObject problem = assertOneProblem(answer, 401, what);
        assertEquals("urn:stevedore:problem:unauthorized", problem.getString("type"), what);
        assertTrue(answer.headers().firstValue("Allow").isEmpty(), what + ": Allow header");
        assertTrue(
            answer.headers().firstValue("WWW-Authenticate").orElse("").startsWith("Bearer"), what);
        bodies.add(answer.body());
      }
      assertEquals(1, Set.copyOf(bodies).size(), "one and the same 401 everywhere: " + bodies);
    }
  }

  @Test
  void withAValidKeyClientErrorsAreProblemsThatNameNoInternals() {
    Map<String, Integer> expected = new LinkedHashMap<>();
    expected.put("unknown route", 404);
    expected.put("wrong method", 405);
    expected.put("wrong content type", 415);
    expected.put("malformed JSON", 400);
    expected.put("JSON of the wrong shape", 400);
    expected.put("outside the API's version", 404);
    expected.put("the API's root", 404);
    for (Call call : apiCalls()) {
      HttpResponse<String> answer = Api.sendAs(Api.ADMIN_KEY, call.request());
      assertOneProblem(answer, expected.get(call.name()), call.name() + " with a valid key");
    }
    HttpResponse<String> malformed = Api.sendAs(Api.ADMIN_KEY, apiCalls().get(3).request());
    assertEquals("urn:stevedore:problem:malformed-body", json(malformed).getString("type"));
    assertTrue(json(malformed).getString("detail").contains("line 1"), malformed.body());
  }

  @Test
  void pathsOfNeitherTheApiNorAStreamAreProblemsToo() throws IOException {
    // "/" is the dashboard's page, and /app/ holds its scripts: nothing else is served.
    for (String path : List.of("/apix", "/API/v1/jobs", "/index.html", "/app/", "/app/x.exe")) {
      assertOneProblem(Handshake.plain("GET", path, Map.of()).send(), 404, path);
    }
    // Refused by the container itself, before any application code.
    assertOneProblem(
        Handshake.plain("GET", "/api/v1/%2e%2e/x", Map.of()).send(), 400, "encoded dots");
  }

  @Test
  void streamHandshakesAreRefusedWithOneProblem() throws IOException {
    String id = submit(shellJob("true")).getString("id");
    // Without a valid ticket or key: 401, whatever the path, method or upgrade.
    for (String path :
        List.of("/ws/events", "/ws/events?ticket=forged", "/ws/jobs/" + id + "/logs", "/ws/x")) {
      assertOneProblem(Handshake.of(path, Map.of()).send(), 401, "handshake " + path);
      assertOneProblem(Handshake.plain("GET", path, Map.of()).send(), 401, "GET " + path);
    }
    assertOneProblem(
        Handshake.of("/ws/events", Map.of("Authorization", "Bearer " + BAD_KEY)).send(),
        401,
        "handshake with a bad key");
    assertOneProblem(Handshake.plain("POST", "/ws/events", Map.of()).send(), 401, "POST");

    // Authenticated: 404 for no such stream, 426 for a request that is no handshake.
    JsonObject noSuchStream =
        assertOneProblem(
            Handshake.of("/ws/x?ticket=" + Stream.ticket(Api.ADMIN_KEY), Map.of()).send(),
            404,
            "no such stream");
    assertEquals("urn:stevedore:problem:http-404", noSuchStream.getString("type"));
    assertOneProblem(
        Handshake.plain("GET", "/ws/events?ticket=" + Stream.ticket(Api.ADMIN_KEY), Map.of())
            .send(),
        426,
        "no handshake");
    assertOneProblem(
        Handshake.of("/ws/jobs/" + UUID.randomUUID() + "/logs", bearer(Api.ADMIN_KEY)).send(),
        404,
        "no such job");
    Api.awaitEnd(id);
  }

  @Test
  void aKeyInTheAuthorizationHeaderOpensAStream() {
    Client events = Client.open("/ws/events", bearer(Api.ADMIN_KEY));
    String id = submit(shellJob("true")).getString("id");
    Api.awaitEnd(id);
    await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> events.messages.stream().anyMatch(m -> m.contains(id)));

    Client logs = Client.open("/ws/jobs/" + id + "/logs", bearer(Api.ADMIN_KEY));
    assertEquals(1000, logs.closeCode());
    assertTrue(
        logs.messages.stream().anyMatch(m -> m.contains("\"end\"")), logs.messages.toString());
    events.socket.abort();
  }

  @Test
  void onlyTheServersOwnOriginAndListedOnesMayOpenAStream() throws IOException {
    HttpResponse<String> refused =
        Handshake.of(
                "/ws/events?ticket=" + Stream.ticket(Api.ADMIN_KEY),
                Map.of("Origin", "https://evil.example"))
            .send();
    JsonObject problem = assertOneProblem(refused, 403, "foreign origin");
    assertEquals("urn:stevedore:problem:origin-not-allowed", problem.getString("type"));
    assertEquals(
        403,
        Handshake.of("/ws/events", merge(bearer(Api.ADMIN_KEY), "Origin", "http://evil.example"))
            .send()
            .statusCode());

    for (String origin : List.of(OWN_ORIGIN, LISTED_ORIGIN)) {
      assertEquals(
          101,
          Handshake.of(
                  "/ws/events?ticket=" + Stream.ticket(Api.ADMIN_KEY), Map.of("Origin", origin))
              .send()
              .statusCode(),
          origin);
    }
    assertEquals(
        101,
        Handshake.of("/ws/events?ticket=" + Stream.ticket(Api.ADMIN_KEY), Map.of())
            .send()
            .statusCode(),
        "no Origin: a client that is no browser");
  }

  @Test
  void everyApiAnswerCarriesTheSecurityHeaders() {
    String keyBody = "{\"name\":\"it-edge-headers\",\"role\":\"viewer\",\"tenant\":\"default\"}";
    List<HttpResponse<String>> answers =
        List.of(
            Api.post("/api/v1/keys", keyBody),
            Api.get("/api/v1/jobs?limit=1"),
            Api.get("/api/v1/nope"),
            Api.sendAs(null, HttpRequest.newBuilder(Api.uri("/api/v1/jobs")).GET()));
    assertEquals(201, answers.get(0).statusCode(), answers.get(0).body());
    for (HttpResponse<String> answer : answers) {
      assertSecurityHeaders(answer, answer.request().uri().toString());
    }
  }

  @Test
  void revokingAKeyEndsItsStreamsAndItsTickets() throws Exception {
    JsonObject key =
        json(
            Api.post(
                "/api/v1/keys",
                "{\"name\":\"it-edge-revoked\",\"role\":\"viewer\",\"tenant\":\"default\"}"));
    String secret = key.getString("key");
    // Long enough to outlive the revocation, short enough to end on its own (no cancel).
    String id = submit(shellJob("echo started; sleep 8")).getString("id");

    Client events = Client.open("/ws/events?ticket=" + Stream.ticket(secret), Map.of());
    Client logs = Client.open("/ws/jobs/" + id + "/logs?ticket=" + Stream.ticket(secret), Map.of());
    Client byHeader = Client.open("/ws/events", bearer(secret));
    String unused = Stream.ticket(secret);

    HttpResponse<String> revoked =
        Api.send(HttpRequest.newBuilder(Api.uri("/api/v1/keys/" + key.getString("id"))).DELETE());
    assertEquals(200, revoked.statusCode(), revoked.body());
    long revokedAt = System.nanoTime();

    for (Client client : List.of(events, logs, byHeader)) {
      CloseInfo closed = client.closed.orTimeout(2, TimeUnit.SECONDS).join();
      assertEquals(1008, closed.code(), closed.reason());
      assertEquals("key revoked", closed.reason());
    }
    assertTrue(
        Duration.ofNanos(System.nanoTime() - revokedAt).compareTo(Duration.ofSeconds(2)) < 0);
    assertEquals(401, Stream.handshakeStatus("/ws/events?ticket=" + unused), "ticket of before");
    assertEquals(401, Handshake.of("/ws/events", bearer(secret)).send().statusCode());
  }

  @Test
  void aKeyRevokedByAnotherNodeEndsItsStreamsToo() throws Exception {
    String url = System.getProperty("stevedore.db.url");
    Assumptions.assumeTrue(url != null && url.startsWith("jdbc:postgresql:"), "PostgreSQL");
    JsonObject key =
        json(
            Api.post(
                "/api/v1/keys",
                "{\"name\":\"it-edge-elsewhere\",\"role\":\"viewer\",\"tenant\":\"default\"}"));
    Client events = Client.open("/ws/events", bearer(key.getString("key")));

    // Another node revokes it: this node hears of it only through the database.
    try (Connection db =
            DriverManager.getConnection(
                url,
                System.getProperty("stevedore.db.user"),
                System.getProperty("stevedore.db.password"));
        PreparedStatement revoke =
            db.prepareStatement("UPDATE api_key SET revoked_at = CURRENT_TIMESTAMP WHERE id = ?")) {
      revoke.setString(1, key.getString("id"));
      assertEquals(1, revoke.executeUpdate());
    }

    // Within the key cache's ten seconds and one check of the open streams.
    CloseInfo closed = events.closed.orTimeout(20, TimeUnit.SECONDS).join();
    assertEquals(1008, closed.code(), closed.reason());
    assertEquals("key revoked", closed.reason());
  }

  // ---- assertions ----

  /** The answer is exactly one problem document of that status that names nothing internal. */
  private static JsonObject assertOneProblem(HttpResponse<String> answer, int status, String what) {
    String body = answer.body();
    assertEquals(status, answer.statusCode(), what + ": " + body);
    assertTrue(
        answer
            .headers()
            .firstValue("Content-Type")
            .orElse("")
            .startsWith("application/problem+json"),
        what + ": " + answer.headers().map());
    JsonObject problem = onlyObject(body, what);
    assertTrue(problem.getString("type", "").startsWith("urn:stevedore:problem:"), what + body);
    assertFalse(problem.getString("title", "").isBlank(), what + body);
    assertEquals(status, problem.getInt("status", -1), what + body);
    for (String leak : List.of("dev.stevedore", "java.", "Exception", "\tat ", "SRVE", "<html")) {
      assertFalse(body.contains(leak), what + " leaks '" + leak + "': " + body);
    }
    assertSecurityHeaders(answer, what);
    return problem;
  }

  private static void assertSecurityHeaders(HttpResponse<?> answer, String what) {
    assertEquals("nosniff", answer.headers().firstValue("X-Content-Type-Options").orElse(""), what);
    assertEquals("no-referrer", answer.headers().firstValue("Referrer-Policy").orElse(""), what);
    assertEquals("no-store", answer.headers().firstValue("Cache-Control").orElse(""), what);
  }

  /** The body parses as one JSON object and nothing after it. */
  private static JsonObject onlyObject(String body, String what) {
    try (JsonParser parser = Json.createParser(new StringReader(body))) {
      assertEquals(JsonParser.Event.START_OBJECT, parser.next(), what + ": " + body);
      JsonObject object = parser.getObject();
      assertFalse(parser.hasNext(), what + ": more after the first document: " + body);
      return object;
    } catch (JsonParsingException e) {
      return fail(what + ": not one JSON document: " + body, e);
    }
  }

  private static Map<String, String> bearer(String key) {
    return Map.of("Authorization", "Bearer " + key);
  }

  private static Map<String, String> merge(Map<String, String> headers, String name, String value) {
    Map<String, String> all = new LinkedHashMap<>(headers);
    all.put(name, value);
    return all;
  }

  // ---- clients ----

  /**
   * A WebSocket handshake (or a plain request to a stream path) written by hand, so that its
   * refusal can be read whole: Java's WebSocket client keeps neither a refusal's body nor lets a
   * caller set every header.
   */
  private record Handshake(
      String method, String path, Map<String, String> headers, boolean upgrade) {

    static Handshake of(String path, Map<String, String> headers) {
      return new Handshake("GET", path, headers, true);
    }

    static Handshake plain(String method, String path, Map<String, String> headers) {
      return new Handshake(method, path, headers, false);
    }

    HttpResponse<String> send() throws IOException {
      URI base = URI.create(Api.BASE);
      try (Socket socket = new Socket(base.getHost(), base.getPort())) {
        socket.setSoTimeout(10_000);
        StringBuilder request = new StringBuilder();
        request.append(method).append(' ').append(path).append(" HTTP/1.1\r\n");
        request.append("Host: ").append(base.getHost()).append(':').append(base.getPort());
        request.append("\r\n");
        if (upgrade) {
          request.append("Upgrade: websocket\r\nConnection: Upgrade\r\n");
          request.append("Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n");
          request.append("Sec-WebSocket-Version: 13\r\n");
        } else {
          request.append("Connection: close\r\n");
        }
        if (method.equals("POST")) {
          request.append("Content-Length: 0\r\n");
        }
        headers.forEach((name, value) -> request.append(name + ": " + value + "\r\n"));
        request.append("\r\n");
        OutputStream out = socket.getOutputStream();
        out.write(request.toString().getBytes(StandardCharsets.ISO_8859_1));
        out.flush();
        return read(socket.getInputStream());
      }
    }

    private HttpResponse<String> read(InputStream in) throws IOException {
      String statusLine = line(in);
      int status = Integer.parseInt(statusLine.split(" ")[1]);
      Map<String, List<String>> fields = new LinkedHashMap<>();
      for (String field = line(in); !field.isEmpty(); field = line(in)) {
        int colon = field.indexOf(':');
        fields
            .computeIfAbsent(field.substring(0, colon).trim(), k -> new ArrayList<>())
            .add(field.substring(colon + 1).trim());
      }
      java.net.http.HttpHeaders httpHeaders = java.net.http.HttpHeaders.of(fields, (a, b) -> true);
      String body = "";
      if (status != 101) {
        long length = httpHeaders.firstValueAsLong("Content-Length").orElse(-1);
        if (length >= 0) {
          body = new String(in.readNBytes((int) length), StandardCharsets.UTF_8);
        } else if (httpHeaders
            .firstValue("Transfer-Encoding")
            .orElse("")
            .toLowerCase(Locale.ROOT)
            .contains("chunked")) {
          ByteArrayOutputStream all = new ByteArrayOutputStream();
          for (int size = Integer.parseInt(line(in).trim(), 16);
              size > 0;
              size = Integer.parseInt(line(in).trim(), 16)) {
            all.write(in.readNBytes(size));
            line(in);
          }
          body = all.toString(StandardCharsets.UTF_8);
        } else {
          body = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
      }
      return new RawResponse(status, httpHeaders, body, this);
    }

    private static String line(InputStream in) throws IOException {
      ByteArrayOutputStream line = new ByteArrayOutputStream();
      for (int b = in.read(); b != -1 && b != '\n'; b = in.read()) {
        if (b != '\r') {
          line.write(b);
        }
      }
      return line.toString(StandardCharsets.ISO_8859_1);
    }
  }

  /** A hand-read answer in the shape of Java's HTTP client's. */
  private record RawResponse(
      int statusCode, java.net.http.HttpHeaders headers, String body, Handshake sent)
      implements HttpResponse<String> {
    @Override
    public HttpRequest request() {
      return HttpRequest.newBuilder(Api.uri(sent.path())).build();
    }

    @Override
    public java.util.Optional<HttpResponse<String>> previousResponse() {
      return java.util.Optional.empty();
    }

    @Override
    public java.util.Optional<javax.net.ssl.SSLSession> sslSession() {
      return java.util.Optional.empty();
    }

    @Override
    public URI uri() {
      return Api.uri(sent.path());
    }

    @Override
    public HttpClient.Version version() {
      return HttpClient.Version.HTTP_1_1;
    }
  }

  private record CloseInfo(int code, String reason) {}

  /** A WebSocket client that may send headers and keeps its messages and how it was closed. */
  private static final class Client implements WebSocket.Listener {
    final List<String> messages = new CopyOnWriteArrayList<>();
    final CompletableFuture<CloseInfo> closed = new CompletableFuture<>();
    private final StringBuilder partial = new StringBuilder();
    WebSocket socket;

    static Client open(String path, Map<String, String> headers) {
      Client client = new Client();
      WebSocket.Builder builder = HttpClient.newHttpClient().newWebSocketBuilder();
      headers.forEach(builder::header);
      client.socket =
          builder
              .buildAsync(URI.create(Api.BASE.replaceFirst("^http", "ws") + path), client)
              .orTimeout(20, TimeUnit.SECONDS)
              .join();
      return client;
    }

    int closeCode() {
      return closed.orTimeout(30, TimeUnit.SECONDS).join().code();
    }

    @Override
    public void onOpen(WebSocket webSocket) {
      webSocket.request(1);
    }

    @Override
    public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
      partial.append(data);
      if (last) {
        messages.add(partial.toString());
        partial.setLength(0);
      }
      webSocket.request(1);
      return null;
    }

    @Override
    public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
      closed.complete(new CloseInfo(statusCode, reason));
      return null;
    }

    @Override
    public void onError(WebSocket webSocket, Throwable error) {
      closed.completeExceptionally(error);
    }
  }
}
