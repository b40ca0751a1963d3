package it.support;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.net.http.HttpResponse;
import java.util.HashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The server's application metrics, as Prometheus scrapes them. */
public final class Metrics {

  private static final Pattern SAMPLE =
      Pattern.compile("^(stevedore_[a-z_]+)\\{([^}]*)\\} ([0-9.Ee+-]+)$", Pattern.MULTILINE);

  private Metrics() {}

  /** Every sample by name and tags without the scope: {@code name{tag=value,…}}. */
  public static Map<String, Double> read() {
    HttpResponse<String> response = Api.get("/metrics?scope=application");
    assertEquals(200, response.statusCode());
    Map<String, Double> values = new HashMap<>();
    Matcher m = SAMPLE.matcher(response.body());
    while (m.find()) {
      String tags =
          String.join(
              ",",
              Pattern.compile(",")
                  .splitAsStream(m.group(2))
                  .filter(t -> !t.isBlank() && !t.startsWith("mp_scope="))
                  .map(t -> t.replace("\"", ""))
                  .sorted()
                  .toList());
      values.put(m.group(1) + "{" + tags + "}", Double.parseDouble(m.group(3)));
    }
    return values;
  }
}
