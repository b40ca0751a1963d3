package dev.stevedore.rest;

import jakarta.ws.rs.BadRequestException;

/**
 * A path or query parameter that cannot be read. It is a {@link BadRequestException} because
 * Jakarta REST passes a {@code WebApplicationException} thrown while converting a parameter through
 * unchanged, where any other exception would become a bare 404.
 */
public class InvalidParameterException extends BadRequestException {
  private static final long serialVersionUID = 1L;

  private final String parameter;

  public InvalidParameterException(String parameter, String message) {
    super(message);
    this.parameter = parameter;
  }

  public String parameter() {
    return parameter;
  }
}
