package dev.stevedore.pool;

import dev.stevedore.job.JobSpec;
import jakarta.json.bind.annotation.JsonbPropertyOrder;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
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
 * A warm pool as an administrator defines it. Fields left out take defaults ({@link
 * PoolService#checked}); what is stored and shown is the spec with them filled in.
 */
@Schema(description = "A warm pool: containers of one image kept started, ready for jobs.")
@JsonbPropertyOrder({
  "name",
  "image",
  "resources",
  "network",
  "env",
  "tenants",
  "size",
  "init",
  "initTimeoutSeconds",
  "reuse",
  "maxUses",
  "idleSeconds",
  "whenBusy"
})
public record PoolSpec(
    @Schema(required = true, description = "The pool's name, which jobs give as 'pool'.")
        @NotBlank
        @Pattern(regexp = JobSpec.POOL_NAME, message = JobSpec.POOL_NAME_RULE)
        String name,
    @Schema(
            required = true,
            description = "The image of its containers; it needs /bin/sh and sleep.",
            example = "stevedore/agent:latest")
        @NotBlank
        @Size(max = 512)
        @Pattern(regexp = "[^\\s]+", message = "must not contain white space")
        String image,
    @Valid JobSpec.Resources resources,
    @Schema(description = "Network of its containers: none or bridge.", example = "none")
        String network,
    @Schema(description = "Environment of its containers; a job's own env is added per job.")
        @Size(max = 200)
        Map<
                @NotNull
                @Pattern(regexp = JobSpec.VARIABLE_NAME, message = JobSpec.VARIABLE_NAME_RULE)
                String,
                @NotNull @Size(max = 32768)
                @Pattern(regexp = JobSpec.ENV_VALUE, message = JobSpec.ENV_VALUE_RULE) String>
            env,
    @Schema(
            required = true,
            description = "The tenants whose jobs may use it; [\"*\"] for every tenant.",
            example = "[\"default\"]")
        @NotNull
        @Size(min = 1, max = 1000)
        List<@NotBlank @Size(max = 200) String> tenants,
    @Schema(description = "Containers the pool holds on each node, warm or busy.", example = "4")
        @PositiveOrZero
        Integer size,
    @Schema(
            description =
                "A command run once in each new container, as the sandbox user; the container is"
                    + " warm only when it exits with 0.",
            example = "[\"sh\", \"-c\", \"cp -r /opt/venv /tmp/venv\"]")
        @Size(max = JobSpec.MAX_COMMAND_ARGS)
        List<
                @NotNull @Size(max = 65536)
                @Pattern(regexp = "[^\\x00]*", message = "must not hold a NUL character") String>
            init,
    @Schema(description = "Seconds 'init' may take.", example = "300") @Positive
        Integer initTimeoutSeconds,
    @Schema(
            description =
                "never: one job per container. tenant: a container serves several jobs of one"
                    + " tenant in turn, emptied between them.",
            example = "never")
        @Pattern(regexp = "never|tenant", message = "must be 'never' or 'tenant'")
        String reuse,
    @Schema(description = "Jobs a container serves before it is replaced.", example = "50")
        @Positive
        @Max(1_000_000)
        Integer maxUses,
    @Schema(description = "Seconds a warm container may wait unused before it is replaced.")
        @Positive
        Integer idleSeconds,
    @Schema(
            description =
                "When no warm container is free: wait for one, or start a container cold.",
            example = "wait")
        @Pattern(regexp = "wait|cold", message = "must be 'wait' or 'cold'")
        String whenBusy) {

  /** Whether a container may serve another job of the same tenant. */
  public boolean reusable() {
    return "tenant".equals(reuse);
  }

  /** Whether a job waits for a warm container rather than starting cold. */
  public boolean waitsWhenBusy() {
    return !"cold".equals(whenBusy);
  }

  /** The same spec naming other tenants. */
  PoolSpec withTenants(List<String> shown) {
    return new PoolSpec(
        name,
        image,
        resources,
        network,
        env,
        shown,
        size,
        init,
        initTimeoutSeconds,
        reuse,
        maxUses,
        idleSeconds,
        whenBusy);
  }

  /** Whether the tenant's jobs may use the pool. */
  public boolean allows(String tenant) {
    return tenants.contains("*") || tenants.contains(tenant);
  }
}
