package it.support;

import java.io.ByteArrayOutputStream;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.UUID;

/** Builds a multipart/form-data submission, as a browser or {@code curl -F} would. */
public final class Multipart {

  private final String boundary = "stevedore-" + UUID.randomUUID();
  private final ByteArrayOutputStream body = new ByteArrayOutputStream();

  public Multipart spec(String json) {
    return part("spec", null, "application/json", json.getBytes(StandardCharsets.UTF_8));
  }

  public Multipart file(String fileName, byte[] content) {
    return part("file", fileName, "application/octet-stream", content);
  }

  public Multipart zip(byte[] content) {
    return part("zip", "inputs.zip", "application/zip", content);
  }

  public Multipart part(String name, String fileName, String type, byte[] content) {
    String header =
        "--"
            + boundary
            + "\r\n"
            + "Content-Disposition: form-data; name=\""
            + name
            + "\""
            + (fileName == null ? "" : "; filename=\"" + fileName + "\"")
            + "\r\nContent-Type: "
            + type
            + "\r\n\r\n";
    body.writeBytes(header.getBytes(StandardCharsets.UTF_8));
    body.writeBytes(content);
    body.writeBytes("\r\n".getBytes(StandardCharsets.UTF_8));
    return this;
  }

  public HttpResponse<String> post(String path) {
    ByteArrayOutputStream complete = new ByteArrayOutputStream();
    complete.writeBytes(body.toByteArray());
    complete.writeBytes(("--" + boundary + "--\r\n").getBytes(StandardCharsets.UTF_8));
    return Api.send(
        HttpRequest.newBuilder(Api.uri(path))
            .header("Content-Type", "multipart/form-data; boundary=" + boundary)
            .POST(HttpRequest.BodyPublishers.ofByteArray(complete.toByteArray())));
  }
}
