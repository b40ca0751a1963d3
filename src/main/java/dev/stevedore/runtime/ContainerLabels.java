package dev.stevedore.runtime;

/** The labels every Stevedore container carries, and its name. */
public final class ContainerLabels {

  public static final String JOB = "stevedore.job";
  public static final String ATTEMPT = "stevedore.attempt";
  public static final String NODE = "stevedore.node";
  public static final String INSTALLATION = "stevedore.installation";
  public static final String POOL = "stevedore.pool";
  public static final String POOL_REVISION = "stevedore.pool.revision";

  private ContainerLabels() {}

  /** The one name a job's attempt can have: creating it twice is a conflict, not a twin. */
  public static String containerName(String jobId, int attempt) {
    return "stevedore-" + jobId + "-" + attempt;
  }
}
