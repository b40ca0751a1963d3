package dev.stevedore.core;

/** Something the answer needs is not ready or not reachable now; asking again later may work. */
public class UnavailableException extends DomainException {

  private static final long serialVersionUID = 1L;

  private final String reason;
  private final String summary;

  /**
   * @param reason a short hyphenated name of what is unavailable, stable for clients
   * @param summary what is unavailable, in a sentence
   * @param detail this occurrence
   */
  public UnavailableException(String reason, String summary, String detail) {
    super(detail);
    this.reason = reason;
    this.summary = summary;
  }

  public String reason() {
    return reason;
  }

  public String summary() {
    return summary;
  }
}
