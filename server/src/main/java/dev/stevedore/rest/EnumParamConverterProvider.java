package dev.stevedore.rest;

import jakarta.ws.rs.ext.ParamConverter;
import jakarta.ws.rs.ext.ParamConverterProvider;
import jakarta.ws.rs.ext.Provider;
import java.lang.annotation.Annotation;
import java.lang.reflect.Type;
import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * Reads enum query parameters case-insensitively and answers an unknown value with a 400 that lists
 * the accepted ones.
 */
@Provider
public class EnumParamConverterProvider implements ParamConverterProvider {

  @Override
  @SuppressWarnings({"unchecked", "rawtypes"})
  public <T> ParamConverter<T> getConverter(
      Class<T> rawType, Type genericType, Annotation[] annotations) {
    if (!rawType.isEnum()) {
      return null;
    }
    return (ParamConverter<T>) new EnumConverter(rawType, parameterName(annotations));
  }

  private static String parameterName(Annotation[] annotations) {
    for (Annotation annotation : annotations) {
      if (annotation instanceof jakarta.ws.rs.QueryParam q) {
        return q.value();
      }
      if (annotation instanceof jakarta.ws.rs.PathParam p) {
        return p.value();
      }
    }
    return "parameter";
  }

  private record EnumConverter<E extends Enum<E>>(Class<E> type, String parameter)
      implements ParamConverter<E> {

    @Override
    public E fromString(String value) {
      if (value == null) {
        return null;
      }
      String wanted = value.trim().toUpperCase(Locale.ROOT);
      for (E constant : type.getEnumConstants()) {
        if (constant.name().equals(wanted)) {
          return constant;
        }
      }
      String accepted =
          Arrays.stream(type.getEnumConstants()).map(Enum::name).collect(Collectors.joining(", "));
      throw new InvalidParameterException(parameter, "'" + value + "' is not one of " + accepted);
    }

    @Override
    public String toString(E value) {
      return value.name();
    }
  }
}
