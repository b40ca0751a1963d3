package dev.stevedore.client;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.SequenceInputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** A multipart/form-data body streamed from its parts, files read as it is sent. */
final class Multipart {

  private final String boundary = "stevedore-" + UUID.randomUUID();
  private final List<InputStream> pieces = new ArrayList<>();

  String contentType() {
    return "multipart/form-data; boundary=" + boundary;
  }

  Multipart text(String name, String contentType, String value) {
    head(name, null, contentType);
    pieces.add(new ByteArrayInputStream(value.getBytes(StandardCharsets.UTF_8)));
    pieces.add(bytes("\r\n"));
    return this;
  }

  /** File parts: each local file under the name it gets on the server. */
  Multipart files(String name, Map<String, Path> files) {
    for (Map.Entry<String, Path> file : files.entrySet()) {
      head(name, file.getKey(), "application/octet-stream");
      try {
        pieces.add(Files.newInputStream(file.getValue()));
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      pieces.add(bytes("\r\n"));
    }
    return this;
  }

  InputStream body() {
    pieces.add(bytes("--" + boundary + "--\r\n"));
    return new SequenceInputStream(Collections.enumeration(pieces));
  }

  private void head(String name, String fileName, String contentType) {
    StringBuilder head =
        new StringBuilder("--")
            .append(boundary)
            .append("\r\nContent-Disposition: form-data; name=\"")
            .append(name)
            .append('"');
    if (fileName != null) {
      if (fileName.contains("\"") || fileName.contains("\r") || fileName.contains("\n")) {
        throw new IllegalArgumentException(
            "a file name may not hold quotes or line ends: " + fileName);
      }
      head.append("; filename=\"").append(fileName).append('"');
    }
    head.append("\r\nContent-Type: ").append(contentType).append("\r\n\r\n");
    pieces.add(bytes(head.toString()));
  }

  private static InputStream bytes(String text) {
    return new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8));
  }
}
