package dev.stevedore.runtime;

/**
 * How tightly a job container is confined. Containers are never privileged, never get the engine's
 * socket, and keep the engine's default seccomp profile; these are the settings an administrator
 * may relax ({@link SandboxPolicy}).
 *
 * @param user the user the container's processes run as, {@code uid:gid}
 * @param tmpSizeBytes size of the tmpfs on {@code /tmp}
 * @param nofile open files per process
 * @param nproc processes per user
 * @param runtime an OCI runtime other than the engine's default ({@code runsc}), or null
 */
public record Sandbox(
    boolean dropAllCapabilities,
    boolean noNewPrivileges,
    boolean readOnlyRootFilesystem,
    long tmpSizeBytes,
    String user,
    long nofile,
    long nproc,
    String runtime) {}
