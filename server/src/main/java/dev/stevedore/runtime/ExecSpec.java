package dev.stevedore.runtime;

import java.util.List;
import java.util.Map;

/**
 * A command to run in a container that runs already.
 *
 * @param env added to the container's own environment for this command only
 * @param user {@code uid:gid} it runs as
 * @param workingDir where it starts; null for the container's
 */
public record ExecSpec(
    List<String> command, Map<String, String> env, String user, String workingDir) {}
