package dev.stevedore.workspace;

import java.nio.file.Path;

/** Job directories and output archives under a test's own directory, as the server makes them. */
public final class TestWorkspaces {

  private TestWorkspaces() {}

  /** The data directory is {@code dataDir}. */
  public static Workspaces at(Path dataDir) {
    Workspaces workspaces = new Workspaces();
    workspaces.dataDir = dataDir.toString();
    return workspaces;
  }

  /** Archives the outputs of jobs in {@code workspaces}, refusing more than {@code maxBytes}. */
  public static OutputArchive archive(Workspaces workspaces, long maxBytes) {
    OutputArchive archive = new OutputArchive();
    archive.workspaces = workspaces;
    archive.maxBytes = maxBytes;
    return archive;
  }
}
