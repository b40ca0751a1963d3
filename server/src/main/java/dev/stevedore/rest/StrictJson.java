package dev.stevedore.rest;

import dev.stevedore.core.FieldError;
import dev.stevedore.core.InputTooLargeException;
import dev.stevedore.core.InvalidInputException;
import jakarta.json.Json;
import jakarta.json.JsonArray;
import jakarta.json.JsonException;
import jakarta.json.JsonNumber;
import jakarta.json.JsonObject;
import jakarta.json.JsonReader;
import jakarta.json.JsonValue;
import jakarta.json.bind.JsonbException;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;

/**
 * Reads a JSON request body into a record, strictly. JSON-B converts silently where a client most
 * likely made a mistake: {@code 1.5} becomes the integer 1, {@code 5} the string "5". Here the JSON
 * is first checked against the record's declared types, and every value of the wrong JSON type is
 * refused with 400 naming its field as sent ({@code resources.memoryMb}, {@code env[FOO]}, {@code
 * command[2]}); unknown fields are refused the same way. The body is read only up to a size.
 */
public final class StrictJson {

  private StrictJson() {}

  /**
   * The body as a {@code type}, or null if it is empty. A body over {@code maxBytes} is refused
   * with 413 naming {@code what}, before more of it is read.
   */
  public static <T> T read(InputStream body, long maxBytes, Class<T> type, String what) {
    byte[] bytes = bounded(body, maxBytes, what);
    if (bytes.length == 0) {
      return null;
    }
    JsonValue value;
    try (JsonReader reader = Json.createReader(new ByteArrayInputStream(bytes))) {
      value = reader.readValue();
    } catch (JsonException e) {
      // The problem mapper answers malformed JSON as it does for any unreadable body.
      throw new JsonbException(e.getMessage(), e);
    }
    if (value.getValueType() != JsonValue.ValueType.OBJECT) {
      throw InvalidInputException.forField(what, "must be a JSON object");
    }
    List<FieldError> errors = new ArrayList<>();
    check(value, type, "", errors);
    if (!errors.isEmpty()) {
      throw InvalidInputException.of(errors);
    }
    return JsonbConfigResolver.JSONB.fromJson(new ByteArrayInputStream(bytes), type);
  }

  private static byte[] bounded(InputStream body, long maxBytes, String what) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    byte[] buffer = new byte[16 * 1024];
    try {
      for (int n; (n = body.read(buffer)) > 0; ) {
        if (out.size() + (long) n > maxBytes) {
          throw new InputTooLargeException(
              what, "is larger than " + maxBytes + " bytes, the most this server accepts");
        }
        out.write(buffer, 0, n);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot read the request body", e);
    }
    return out.toByteArray();
  }

  /** Adds an error for each value under {@code value} whose JSON type {@code type} cannot take. */
  static void check(JsonValue value, Type type, String field, List<FieldError> errors) {
    if (value.getValueType() == JsonValue.ValueType.NULL) {
      return; // absent; Bean Validation says whether it may be
    }
    if (type instanceof ParameterizedType generic && generic.getRawType() instanceof Class<?> raw) {
      Type[] args = generic.getActualTypeArguments();
      if (Collection.class.isAssignableFrom(raw)) {
        if (!(value instanceof JsonArray array)) {
          errors.add(new FieldError(field, "must be an array"));
          return;
        }
        for (int i = 0; i < array.size(); i++) {
          check(array.get(i), args[0], field + "[" + i + "]", errors);
        }
      } else if (Map.class.isAssignableFrom(raw)) {
        if (!(value instanceof JsonObject object)) {
          errors.add(new FieldError(field, "must be an object"));
          return;
        }
        object.forEach((key, v) -> check(v, args[1], field + "[" + key + "]", errors));
      }
      return;
    }
    if (!(type instanceof Class<?> c)) {
      return;
    }
    if (c == String.class || c.isEnum()) {
      expect(value, JsonValue.ValueType.STRING, field, "must be a string", errors);
    } else if (c == Integer.class || c == int.class || c == Long.class || c == long.class) {
      boolean isInt = c == Integer.class || c == int.class;
      if (!(value instanceof JsonNumber number) || !whole(number.bigDecimalValue(), isInt)) {
        errors.add(
            new FieldError(
                field,
                isInt
                    ? "must be an integer between "
                        + Integer.MIN_VALUE
                        + " and "
                        + Integer.MAX_VALUE
                    : "must be an integer"));
      }
    } else if (Number.class.isAssignableFrom(c) || c == double.class || c == float.class) {
      expect(value, JsonValue.ValueType.NUMBER, field, "must be a number", errors);
    } else if (c == Boolean.class || c == boolean.class) {
      if (value != JsonValue.TRUE && value != JsonValue.FALSE) {
        errors.add(new FieldError(field, "must be true or false"));
      }
    } else if (c.isRecord()) {
      if (!(value instanceof JsonObject object)) {
        errors.add(new FieldError(field, "must be an object"));
        return;
      }
      for (Map.Entry<String, JsonValue> entry : object.entrySet()) {
        String name = field.isEmpty() ? entry.getKey() : field + "." + entry.getKey();
        RecordComponent component = component(c, entry.getKey());
        if (component == null) {
          errors.add(new FieldError(name, "is not a known field"));
        } else {
          check(entry.getValue(), component.getGenericType(), name, errors);
        }
      }
    }
  }

  private static void expect(
      JsonValue value,
      JsonValue.ValueType wanted,
      String field,
      String message,
      List<FieldError> errors) {
    if (value.getValueType() != wanted) {
      errors.add(new FieldError(field, message));
    }
  }

  private static boolean whole(BigDecimal number, boolean isInt) {
    try {
      if (isInt) {
        number.intValueExact();
      } else {
        number.longValueExact();
      }
      return true;
    } catch (ArithmeticException e) {
      return false;
    }
  }

  private static RecordComponent component(Class<?> record, String name) {
    for (RecordComponent component : record.getRecordComponents()) {
      if (component.getName().equals(name)) {
        return component;
      }
    }
    return null;
  }
}
