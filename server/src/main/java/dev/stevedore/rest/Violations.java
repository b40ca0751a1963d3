package dev.stevedore.rest;

import dev.stevedore.core.FieldError;
import dev.stevedore.core.InvalidInputException;
import jakarta.validation.ConstraintViolation;
import jakarta.validation.Path;
import jakarta.validation.Validator;
import java.util.Comparator;
import java.util.List;
import java.util.Set;

/** Bean Validation of a request body, refused as a problem that names the fields as sent. */
public final class Violations {

  private Violations() {}

  /** The body if it is valid; else 400 naming each offending field. */
  public static <T> T check(Validator validator, T body, String what) {
    if (body == null) {
      throw new InvalidInputException("A " + what + " is required as the request body", List.of());
    }
    Set<ConstraintViolation<T>> violations = validator.validate(body);
    if (violations.isEmpty()) {
      return body;
    }
    throw InvalidInputException.of(
        violations.stream()
            .map(v -> new FieldError(fieldName(v.getPropertyPath()), v.getMessage()))
            .sorted(Comparator.comparing(FieldError::field))
            .toList());
  }

  /** {@code resources.memoryMb}, {@code env[FOO]}, {@code command[2]}: the path a client sent. */
  static String fieldName(Path path) {
    StringBuilder name = new StringBuilder();
    for (Path.Node node : path) {
      if (node.getName() == null || node.getName().startsWith("<")) {
        if (node.getKey() != null) {
          name.append('[').append(node.getKey()).append(']');
        } else if (node.getIndex() != null) {
          name.append('[').append(node.getIndex()).append(']');
        }
        continue;
      }
      if (node.getIndex() != null) {
        name.append('[').append(node.getIndex()).append(']');
      } else if (node.getKey() != null) {
        name.append('[').append(node.getKey()).append(']');
      }
      name.append(name.isEmpty() ? "" : ".").append(node.getName());
    }
    return name.toString();
  }
}
