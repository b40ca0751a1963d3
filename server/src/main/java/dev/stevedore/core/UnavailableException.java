package dev.stevedore.core;

/** Something the answer needs is not ready or not reachable now; asking again later may work. */
public class UnavailableException extends NamedRefusal {

  private static final long serialVersionUID = 1L;

  public UnavailableException(String reason, String summary, String detail) {
    super(reason, summary, detail);
  }
}
