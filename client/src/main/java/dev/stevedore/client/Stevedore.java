package dev.stevedore.client;

import dev.stevedore.job.JobSpec;
import dev.stevedore.job.JobView;
import jakarta.json.bind.Jsonb;
import jakarta.json.bind.JsonbBuilder;
import jakarta.json.bind.JsonbConfig;
import jakarta.ws.rs.client.ClientRequestFilter;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.apache.cxf.jaxrs.client.JAXRSClientFactory;
import org.apache.cxf.jaxrs.client.WebClient;
import org.apache.cxf.jaxrs.provider.jsrjsonb.JsrJsonbProvider;
import org.apache.cxf.transport.http.HTTPConduit;

/**
 * A connection to one Stevedore server with one API key: the API's typed interfaces ({@link
 * #jobs()}, {@link #batches()}, {@link #sandboxes()}, …) and what takes more than one call (submit
 * with files, wait for a job's end, follow its log, fetch its outputs). Every refusal of the server
 * arrives as a {@link StevedoreException}; a server that cannot be reached as the Jakarta REST
 * client's {@code ProcessingException}. Safe for use by several threads.
 *
 * <pre>{@code
 * try (Stevedore stevedore = Stevedore.connect("http://localhost:9080", key)) {
 *   JobView job = stevedore.jobs().submit(spec, null);
 *   JobView ended = stevedore.follow(job.id(), line -> System.out.println(line.text()));
 * }
 * }</pre>
 */
public final class Stevedore implements AutoCloseable {

  /** Where the API lives under a server's address. */
  public static final String API_PATH = "/api/v1";

  /** How long a call may wait for its answer; a long poll asks for at most 60 s. */
  private static final long RECEIVE_TIMEOUT_MILLIS = 90_000;

  /** The longest wait the server grants one {@code ?wait=} request. */
  private static final Duration LONGEST_WAIT = Duration.ofSeconds(30);

  private final String base;
  private final List<Object> providers;
  private final List<Object> proxies = new ArrayList<>();
  private final JobsApi jobs;
  private final BatchesApi batches;
  private final SandboxesApi sandboxes;
  private final KeysApi keys;
  private final TenantsApi tenants;
  private final MeApi me;
  private final NodesApi nodes;
  private final Problems problems;
  private final Jsonb json;

  private Stevedore(URI server, String key) {
    String address = server.toString().replaceAll("/+$", "");
    this.base = address.endsWith(API_PATH) ? address : address + API_PATH;
    // Lenient on reading: a newer server may answer with fields this client does not know.
    this.json = JsonbBuilder.create(new JsonbConfig().withFormatting(false));
    this.problems = new Problems(json);
    ClientRequestFilter authorization =
        request -> {
          if (key != null && !key.isBlank()) {
            request.getHeaders().putSingle(HttpHeaders.AUTHORIZATION, "Bearer " + key);
          }
        };
    this.providers = List.of(new JsrJsonbProvider(json), problems, authorization);
    this.jobs = proxy(JobsApi.class);
    this.batches = proxy(BatchesApi.class);
    this.sandboxes = proxy(SandboxesApi.class);
    this.keys = proxy(KeysApi.class);
    this.tenants = proxy(TenantsApi.class);
    this.me = proxy(MeApi.class);
    this.nodes = proxy(NodesApi.class);
  }

  /**
   * Connects to a server, such as {@code http://localhost:9080}, with an API key (null for none).
   * Nothing is sent until the first call.
   */
  public static Stevedore connect(String server, String key) {
    return new Stevedore(URI.create(server), key);
  }

  public JobsApi jobs() {
    return jobs;
  }

  public BatchesApi batches() {
    return batches;
  }

  public SandboxesApi sandboxes() {
    return sandboxes;
  }

  public KeysApi keys() {
    return keys;
  }

  public TenantsApi tenants() {
    return tenants;
  }

  public MeApi me() {
    return me;
  }

  public NodesApi nodes() {
    return nodes;
  }

  /**
   * Submits a job with input files, which appear read-only under {@code /workspace/in}: each local
   * file under the name it is given (a relative path such as {@code data/a.csv}). Without files it
   * is an ordinary submission.
   */
  public JobView submit(JobSpec spec, Map<String, Path> files, String idempotencyKey) {
    if (files == null || files.isEmpty()) {
      return jobs.submit(spec, idempotencyKey);
    }
    Multipart body =
        new Multipart()
            .text("spec", MediaType.APPLICATION_JSON, json.toJson(spec))
            .files("file", files);
    WebClient client =
        web().path("jobs").type(body.contentType()).accept(MediaType.APPLICATION_JSON);
    if (idempotencyKey != null) {
      client.header("Idempotency-Key", idempotencyKey);
    }
    try (Response response = client.post(body.body())) {
      return answer(response).readEntity(JobView.class);
    } finally {
      client.close();
    }
  }

  /**
   * Waits for a job's end, at most {@code timeout}, with long polls (no busy polling): the job as
   * it ended, or as it stands when the time is up ({@code state().isFinished()} tells which).
   */
  public JobView awaitEnd(String jobId, Duration timeout) {
    Instant deadline = Instant.now().plus(timeout);
    while (true) {
      Duration left = Duration.between(Instant.now(), deadline);
      if (left.isNegative() || left.isZero()) {
        return jobs.get(jobId);
      }
      Duration wait = left.compareTo(LONGEST_WAIT) > 0 ? LONGEST_WAIT : left;
      long seconds = Math.max(1, (wait.toMillis() + 999) / 1000);
      JobView job = jobs.get(jobId, seconds + "s");
      if (job.state().isFinished()) {
        return job;
      }
    }
  }

  /**
   * Follows a job's log from its first line until the job ends, handing over each line as it is
   * written (over a plain HTTP stream), then answers the job as it ended. Calls {@code lines} on
   * this thread.
   */
  public JobView follow(String jobId, Consumer<LogLine> lines) {
    WebClient client =
        web()
            .path("jobs")
            .path(jobId)
            .path("logs")
            .query("follow", "true")
            .query("timestamps", "true")
            .accept(MediaType.TEXT_PLAIN);
    // A quiet job may write nothing for a long time: the stream has no receive timeout.
    WebClient.getConfig(client).getHttpConduit().getClient().setReceiveTimeout(0);
    try (Response response = client.get();
        BufferedReader reader =
            new BufferedReader(
                new InputStreamReader(
                    answer(response).readEntity(InputStream.class), StandardCharsets.UTF_8))) {
      for (String line = reader.readLine(); line != null; line = reader.readLine()) {
        lines.accept(LogLine.parse(line));
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } finally {
      client.close();
    }
    // The stream ends with the job; its end is recorded by then, or within moments.
    return awaitEnd(jobId, Duration.ofSeconds(60));
  }

  /** Writes a job's outputs, as a zip archive, to a file. */
  public void downloadOutput(String jobId, Path zip) {
    try (InputStream in = jobs.output(jobId)) {
      Files.copy(in, zip, StandardCopyOption.REPLACE_EXISTING);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Copies a local file into a sandbox, at a path relative to its workspace. */
  public void upload(String sandboxId, Path local, String path) {
    try (InputStream in = Files.newInputStream(local)) {
      sandboxes.write(sandboxId, path, in);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Copies a file out of a sandbox to a local file. */
  public void download(String sandboxId, String path, Path local) {
    try (InputStream in = sandboxes.read(sandboxId, path)) {
      Files.copy(in, local, StandardCopyOption.REPLACE_EXISTING);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public void close() {
    for (Object proxy : proxies) {
      WebClient.client(proxy).close();
    }
  }

  private <T> T proxy(Class<T> api) {
    T proxy = JAXRSClientFactory.create(base, api, providers);
    timeouts(WebClient.getConfig(proxy).getHttpConduit());
    proxies.add(proxy);
    return proxy;
  }

  private WebClient web() {
    WebClient client = WebClient.create(base, providers);
    timeouts(WebClient.getConfig(client).getHttpConduit());
    return client;
  }

  private static void timeouts(HTTPConduit conduit) {
    conduit.getClient().setConnectionTimeout(10_000);
    conduit.getClient().setReceiveTimeout(RECEIVE_TIMEOUT_MILLIS);
  }

  /** The answer when it is a success, else its problem as an exception. */
  private Response answer(Response response) {
    if (response.getStatus() >= 300) {
      throw problems.fromResponse(response);
    }
    return response;
  }
}
