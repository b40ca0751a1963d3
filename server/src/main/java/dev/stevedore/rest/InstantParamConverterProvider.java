package dev.stevedore.rest;

import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.ext.ParamConverter;
import jakarta.ws.rs.ext.ParamConverterProvider;
import jakarta.ws.rs.ext.Provider;
import java.lang.annotation.Annotation;
import java.lang.reflect.Type;
import java.time.Instant;
import java.time.format.DateTimeParseException;

/** Reads ISO-8601 instant parameters; a malformed one is a 400 that names the parameter. */
@Provider
public class InstantParamConverterProvider implements ParamConverterProvider {

  @Override
  @SuppressWarnings("unchecked")
  public <T> ParamConverter<T> getConverter(
      Class<T> rawType, Type genericType, Annotation[] annotations) {
    if (rawType != Instant.class) {
      return null;
    }
    String name = "parameter";
    for (Annotation annotation : annotations) {
      if (annotation instanceof QueryParam q) {
        name = q.value();
      }
    }
    String parameter = name;
    return (ParamConverter<T>)
        new ParamConverter<Instant>() {
          @Override
          public Instant fromString(String value) {
            try {
              return value == null ? null : Instant.parse(value);
            } catch (DateTimeParseException e) {
              throw new InvalidParameterException(
                  parameter, "not an ISO-8601 instant such as 2026-11-21T08:00:00Z");
            }
          }

          @Override
          public String toString(Instant value) {
            return value.toString();
          }
        };
  }
}
