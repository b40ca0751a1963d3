package dev.stevedore.sandbox;

import dev.stevedore.job.JobSpec;
import jakarta.json.bind.annotation.JsonbPropertyOrder;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Positive;
import jakarta.validation.constraints.Size;
import java.util.Map;
import java.util.TreeMap;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/**
 * What a client asks for: an image, or a pool whose warm containers it takes. Fields left out take
 * the server's defaults; a value above the server's maximum is refused, never clipped.
 */
@Schema(description = "A sandbox: a container kept running for its tenant's execs.")
@JsonbPropertyOrder({
  "image",
  "pool",
  "resources",
  "network",
  "env",
  "secrets",
  "idleTimeoutSeconds",
  "maxLifetimeSeconds",
  "labels"
})
public record SandboxSpec(
    @Schema(
            description = "The image to run; it needs /bin/sh. Leave it out with 'pool'.",
            example = "stevedore/agent:latest")
        @Size(max = 512)
        @Pattern(regexp = "[^\\s]+", message = "must not contain white space")
        String image,
    @Schema(description = "A pool to take a warm container from; its image and limits apply.")
        @Pattern(regexp = JobSpec.POOL_NAME, message = JobSpec.POOL_NAME_RULE)
        String pool,
    @Valid JobSpec.Resources resources,
    @Schema(description = "none or bridge.", example = "none") String network,
    @Schema(description = "Environment of every exec; an exec's own env is added to it.")
        @Size(max = 200)
        Map<
                @NotNull
                @Pattern(regexp = JobSpec.VARIABLE_NAME, message = JobSpec.VARIABLE_NAME_RULE)
                String,
                @NotNull @Size(max = 32768)
                @Pattern(regexp = JobSpec.ENV_VALUE, message = JobSpec.ENV_VALUE_RULE) String>
            env,
    @Schema(
            description =
                "Environment variables that are secret: given to every exec, never shown by the"
                    + " API (which answers with '***').")
        @Size(max = 50)
        Map<
                @NotNull
                @Pattern(regexp = JobSpec.VARIABLE_NAME, message = JobSpec.VARIABLE_NAME_RULE)
                String,
                @NotNull @Size(max = 32768)
                @Pattern(regexp = JobSpec.ENV_VALUE, message = JobSpec.ENV_VALUE_RULE) String>
            secrets,
    @Schema(description = "Seconds with no exec and no file transfer before it ends.") @Positive
        Integer idleTimeoutSeconds,
    @Schema(description = "Seconds after its creation when it ends, busy or not.") @Positive
        Integer maxLifetimeSeconds,
    @Schema(description = "Labels for people and tools.") @Size(max = 50)
        Map<
                @NotNull
                @Pattern(
                    regexp = "[A-Za-z0-9][A-Za-z0-9_./-]{0,62}",
                    message = "must be 1-63 letters, digits, '.', '_', '/' or '-'")
                String,
                @NotNull @Size(max = 255)
                @Pattern(regexp = JobSpec.NO_CONTROLS, message = JobSpec.NO_CONTROLS_RULE) String>
            labels) {

  /** The spec as the API shows it: secret values replaced. */
  public SandboxSpec withSecretsMasked() {
    Map<String, String> masked = null;
    if (secrets != null) {
      masked = new TreeMap<>();
      for (String name : secrets.keySet()) {
        masked.put(name, "***");
      }
    }
    return new SandboxSpec(
        image,
        pool,
        resources,
        network,
        env,
        masked,
        idleTimeoutSeconds,
        maxLifetimeSeconds,
        labels);
  }
}
