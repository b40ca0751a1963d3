package dev.stevedore.rest;

import dev.stevedore.core.FieldError;
import jakarta.json.bind.annotation.JsonbPropertyOrder;
import java.util.List;

/**
 * An error answer as RFC 9457 describes it ({@code application/problem+json}).
 *
 * @param type a URI naming the kind of problem
 * @param title a short summary of the kind of problem
 * @param status the HTTP status
 * @param detail what went wrong in this occurrence
 * @param instance the request path
 * @param errors for invalid input: the offending fields
 */
@JsonbPropertyOrder({"type", "title", "status", "detail", "instance", "errors"})
public record Problem(
    String type,
    String title,
    int status,
    String detail,
    String instance,
    List<FieldError> errors) {

  public static final String MEDIA_TYPE = "application/problem+json";
}
