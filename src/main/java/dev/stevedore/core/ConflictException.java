package dev.stevedore.core;

/** The request is valid but the state of what it names does not allow it now. */
public class ConflictException extends DomainException {

  private static final long serialVersionUID = 1L;

  private final String reason;
  private final String summary;

  /**
   * @param reason a short hyphenated name of the kind of conflict, stable for clients
   * @param summary the kind of conflict in a sentence
   * @param detail this occurrence
   */
  public ConflictException(String reason, String summary, String detail) {
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
