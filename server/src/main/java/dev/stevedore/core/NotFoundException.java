package dev.stevedore.core;

/** No such thing, or none the caller may see (the two are never told apart). */
public class NotFoundException extends DomainException {

  private static final long serialVersionUID = 1L;

  private final String thing;

  /**
   * @param thing what was looked for, in one lower-case word or hyphenated words: {@code job},
   *     {@code batch}, {@code output}
   * @param detail what was asked for
   */
  public NotFoundException(String thing, String detail) {
    super(detail);
    this.thing = thing;
  }

  public String thing() {
    return thing;
  }
}
