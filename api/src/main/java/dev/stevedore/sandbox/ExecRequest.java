package dev.stevedore.sandbox;

import dev.stevedore.job.JobSpec;
import jakarta.json.bind.annotation.JsonbPropertyOrder;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Positive;
import jakarta.validation.constraints.Size;
import java.util.List;
import java.util.Map;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** One command to run in a sandbox. */
@Schema(description = "A command to run in a sandbox, as its sandbox user.")
@JsonbPropertyOrder({"command", "env", "workingDir", "stdin", "timeoutSeconds"})
public record ExecRequest(
    @Schema(
            required = true,
            description = "The command and its arguments.",
            example = "[\"sh\", \"-c\", \"ls -l\"]")
        @NotEmpty
        @Size(max = JobSpec.MAX_COMMAND_ARGS)
        List<
                @NotNull @Size(max = 65536)
                @Pattern(regexp = "[^\\x00]*", message = "must not hold a NUL character") String>
            command,
    @Schema(description = "Environment added to the sandbox's for this command.") @Size(max = 200)
        Map<
                @NotNull
                @Pattern(regexp = JobSpec.VARIABLE_NAME, message = JobSpec.VARIABLE_NAME_RULE)
                String,
                @NotNull @Size(max = 32768)
                @Pattern(regexp = JobSpec.ENV_VALUE, message = JobSpec.ENV_VALUE_RULE) String>
            env,
    @Schema(description = "Where it starts: an absolute path; /workspace when left out.")
        @Size(max = 4096)
        @Pattern(regexp = "/[^\\x00]*", message = "must be an absolute path")
        String workingDir,
    @Schema(description = "Text given to the command as its standard input, at most 64 KiB.")
        @Size(max = 65536)
        @Pattern(regexp = "[^\\x00]*", message = "must not hold a NUL character")
        String stdin,
    @Schema(description = "Seconds it may run before it is killed.", example = "60") @Positive
        Integer timeoutSeconds) {}
