package dev.stevedore.runtime;

/** The labels every Stevedore container carries, and its name. */
public final class ContainerLabels {

  public static final String JOB = "stevedore.job";
  public static final String ATTEMPT = "stevedore.attempt";
  public static final String NODE = "stevedore.node";
  public static final String INSTALLATION = "stevedore.installation";
  public static final String POOL = "stevedore.pool";
  public static final String POOL_REVISION = "stevedore.pool.revision";

  /**
   * How a pool container's directories are bound into it; one of an older layout is not adopted.
   */
  public static final String POOL_LAYOUT = "stevedore.pool.layout";

  public static final String SANDBOX = "stevedore.sandbox";

  private ContainerLabels() {}

  /** The one name a job's attempt can have: creating it twice is a conflict, not a twin. */
  public static String containerName(String jobId, int attempt) {
    return "stevedore-" + jobId + "-" + attempt;
  }
}
