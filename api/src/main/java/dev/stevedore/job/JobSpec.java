package dev.stevedore.job;

import jakarta.json.bind.annotation.JsonbPropertyOrder;
import jakarta.validation.Valid;
import jakarta.validation.constraints.DecimalMin;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Positive;
import jakarta.validation.constraints.PositiveOrZero;
import jakarta.validation.constraints.Size;
import java.util.List;
import java.util.Map;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/**
 * What a client asks to run. Fields left out take the server's defaults; a value above the server's
 * maximum is refused, never clipped.
 */
@Schema(description = "A job: an image plus a command or an agent prompt, limits and a timeout.")
@JsonbPropertyOrder({
  "name",
  "image",
  "command",
  "prompt",
  "env",
  "resources",
  "timeoutSeconds",
  "priority",
  "retry",
  "network",
  "labels",
  "pool"
})
public record JobSpec(
    @Schema(description = "A name for people; need not be unique.", example = "summarize-q3")
        @Size(max = 200)
        @Pattern(
            regexp = "[A-Za-z0-9][A-Za-z0-9_.-]*",
            message =
                "must start with a letter or digit and hold only letters, digits, '.', '_' and '-'")
        String name,
    @Schema(
            required = true,
            description = "The image to run; pulled when not present.",
            example = "stevedore/agent:latest")
        @NotBlank
        @Size(max = 512)
        @Pattern(regexp = "[^\\s]+", message = "must not contain white space")
        String image,
    @Schema(
            description = "The command and its arguments; the image's default when left out.",
            example = "[\"sh\", \"-c\", \"echo hello\"]")
        @Size(max = MAX_COMMAND_ARGS)
        List<
                @NotNull @Size(max = 65536)
                @Pattern(regexp = "[^\\x00]*", message = "must not hold a NUL character") String>
            command,
    @Schema(description = "A prompt for an agent, given to the container as STEVEDORE_PROMPT.")
        @Size(max = 262144)
        String prompt,
    @Schema(description = "Environment variables of the container.") @Size(max = 200)
        Map<
                @NotNull @Pattern(regexp = VARIABLE_NAME, message = VARIABLE_NAME_RULE) String,
                @NotNull @Size(max = 32768) @Pattern(regexp = ENV_VALUE, message = ENV_VALUE_RULE)
                String>
            env,
    @Schema(
            description =
                "Environment variables that are secret: given to the container, masked in its"
                    + " stored logs, never shown by the API (which answers with '***').")
        @Size(max = 50)
        Map<
                @NotNull @Pattern(regexp = VARIABLE_NAME, message = VARIABLE_NAME_RULE) String,
                @NotNull @Size(max = 32768) @Pattern(regexp = ENV_VALUE, message = ENV_VALUE_RULE)
                String>
            secrets,
    @Valid Resources resources,
    @Schema(description = "Seconds the job may run.", example = "3600") @Positive
        Integer timeoutSeconds,
    @Schema(description = "Higher runs first; ties run oldest first.", example = "50")
        Integer priority,
    @Valid RetryPolicy retry,
    @Schema(description = "Network of the container: none or bridge.", example = "none")
        String network,
    @Schema(description = "Labels to find jobs by.") @Size(max = 50)
        Map<
                @NotNull
                @Pattern(
                    regexp = "[A-Za-z0-9][A-Za-z0-9_./-]{0,62}",
                    message = "must be 1-63 letters, digits, '.', '_', '/' or '-'")
                String,
                @NotNull @Size(max = 255) @Pattern(regexp = NO_CONTROLS, message = NO_CONTROLS_RULE)
                String>
            labels,
    @Schema(
            description =
                "URLs this job's state changes are sent to, signed with the given secret, as"
                    + " webhook subscriptions are.")
        @Size(max = 5)
        List<@NotNull @Valid Callback> callbacks,
    @Schema(
            description =
                "A warm pool to run in: the job runs in one of its containers, already started,"
                    + " with the pool's image, resources and network.",
            example = "py")
        @Size(max = 63)
        @Pattern(regexp = POOL_NAME, message = POOL_NAME_RULE)
        String pool) {

  /** What a pool's name may be. */
  public static final String POOL_NAME = "[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?";

  public static final String POOL_NAME_RULE =
      "must be 1-63 lower-case letters, digits and inner '-'";

  /** What names {@code env} and {@code secrets} accept. */
  public static final String VARIABLE_NAME = "[A-Za-z_][A-Za-z0-9_]{0,127}";

  public static final String VARIABLE_NAME_RULE =
      "must be a variable name ([A-Za-z_][A-Za-z0-9_]*)";

  /**
   * What an environment value may hold: no control characters but tab, line feed and carriage
   * return (multi-line values such as certificates are common; NUL cannot be passed at all).
   */
  public static final String ENV_VALUE = "[\\P{Cc}\\t\\n\\r]*";

  public static final String ENV_VALUE_RULE =
      "must not hold control characters other than tab, line feed and carriage return";

  /** Text shown on one line (labels): no control characters at all, tab included. */
  public static final String NO_CONTROLS = "\\P{Cc}*";

  public static final String NO_CONTROLS_RULE = "must not hold control characters";

  /** Most arguments of a command. */
  public static final int MAX_COMMAND_ARGS = 1000;

  /** Most characters of a command, all its arguments together. */
  public static final int MAX_COMMAND_CHARS = 131072;

  /**
   * The spec as job lists show it: what it runs with, without the command, prompt, environment and
   * callbacks, which can be large.
   */
  public JobSpec summary() {
    return new JobSpec(
        name,
        image,
        null,
        null,
        null,
        null,
        resources,
        timeoutSeconds,
        priority,
        retry,
        network,
        labels,
        null,
        pool);
  }

  /** The spec as the API shows it: secret values and callback secrets replaced. */
  public JobSpec withSecretsMasked() {
    Map<String, String> masked = null;
    if (secrets != null) {
      masked = new java.util.TreeMap<>();
      for (String k : secrets.keySet()) {
        masked.put(k, "***");
      }
    }
    List<Callback> shownCallbacks =
        callbacks == null
            ? null
            : callbacks.stream().map(c -> new Callback(c.url(), c.events(), "***")).toList();
    return new JobSpec(
        name,
        image,
        command,
        prompt,
        env,
        masked,
        resources,
        timeoutSeconds,
        priority,
        retry,
        network,
        labels,
        shownCallbacks,
        pool);
  }

  /** A URL to call on this job's state changes. */
  @JsonbPropertyOrder({"url", "events", "secret"})
  public record Callback(
      @Schema(description = "Where to send the events.", required = true)
          @NotBlank
          @Size(max = 2000)
          String url,
      @Schema(description = "Which: job.queued … job.cancelled; all of them when left out.")
          List<@NotNull String> events,
      @Schema(description = "whsec_… secret the deliveries are signed with.", required = true)
          @NotBlank
          String secret) {}

  /** Resource limits of the container. */
  @JsonbPropertyOrder({"cpus", "memoryMb", "pids"})
  public record Resources(
      @Schema(description = "CPUs the container may use, at least 0.01.", example = "1.0")
          @DecimalMin(value = "0.01", message = "must be at least 0.01")
          Double cpus,
      @Schema(description = "Memory limit in MiB; swap is not allowed beyond it.", example = "512")
          @Positive
          Integer memoryMb,
      @Schema(description = "Most processes and threads at once.", example = "256") @Positive
          Integer pids) {}

  /** When and how often a failed attempt is tried again. */
  @JsonbPropertyOrder({"maxAttempts", "backoffSeconds", "onExitCodes"})
  public record RetryPolicy(
      @Schema(description = "Attempts in all, the first included.", example = "3") @Min(1)
          Integer maxAttempts,
      @Schema(description = "Wait before the second attempt; doubles each time.", example = "10")
          @PositiveOrZero
          Integer backoffSeconds,
      @Schema(description = "Retry only on these exit codes; any failure when left out.")
          List<@NotNull Integer> onExitCodes) {}
}
