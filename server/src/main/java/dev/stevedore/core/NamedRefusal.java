package dev.stevedore.core;

/**
 * A refusal with a name of its own, stable for clients, and a sentence that sums up its kind: the
 * shape that conflicts and unavailable things share.
 */
public abstract class NamedRefusal extends DomainException {

  private static final long serialVersionUID = 1L;

  private final String reason;
  private final String summary;

  /**
   * @param reason a short hyphenated name of the kind of refusal, stable for clients
   * @param summary the kind of refusal in a sentence
   * @param detail this occurrence
   */
  protected NamedRefusal(String reason, String summary, String detail) {
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
