package dev.stevedore.rest;

import dev.stevedore.core.FieldError;
import dev.stevedore.core.InvalidInputException;
import jakarta.annotation.Priority;
import jakarta.ws.rs.BeanParam;
import jakarta.ws.rs.Priorities;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerRequestFilter;
import jakarta.ws.rs.container.DynamicFeature;
import jakarta.ws.rs.container.ResourceInfo;
import jakarta.ws.rs.core.FeatureContext;
import jakarta.ws.rs.ext.Provider;
import java.lang.annotation.Annotation;
import java.lang.reflect.AnnotatedElement;
import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * Refuses query parameters a resource method does not declare: {@code ?stat=FAILED} or {@code
 * ?limt=5} would otherwise be ignored and answer as if no filter had been asked for. Each method's
 * {@code @QueryParam} names are read once, when the application starts.
 */
@Provider
public class KnownQueryParameters implements DynamicFeature {

  @Override
  public void configure(ResourceInfo resource, FeatureContext context) {
    Method method = resource.getResourceMethod();
    if (method == null) {
      return;
    }
    Set<String> known = new TreeSet<>();
    for (Annotation[] annotations : method.getParameterAnnotations()) {
      for (Annotation annotation : annotations) {
        if (annotation instanceof QueryParam query) {
          known.add(query.value());
        }
      }
    }
    for (Class<?> type = resource.getResourceClass();
        type != null && type != Object.class;
        type = type.getSuperclass()) {
      for (Field field : type.getDeclaredFields()) {
        addQueryParam(field, known);
      }
    }
    if (hasBeanParam(method)) {
      return; // its names are in another class: not checked here
    }
    context.register(new Filter(Set.copyOf(known)));
  }

  private static void addQueryParam(AnnotatedElement element, Set<String> known) {
    QueryParam query = element.getAnnotation(QueryParam.class);
    if (query != null) {
      known.add(query.value());
    }
  }

  private static boolean hasBeanParam(Method method) {
    for (Annotation[] annotations : method.getParameterAnnotations()) {
      for (Annotation annotation : annotations) {
        if (annotation instanceof BeanParam) {
          return true;
        }
      }
    }
    return false;
  }

  /** 400 naming every query parameter of the request that its method does not know. */
  @Priority(Priorities.USER)
  static final class Filter implements ContainerRequestFilter {

    private final Set<String> known;

    Filter(Set<String> known) {
      this.known = known;
    }

    @Override
    public void filter(ContainerRequestContext request) {
      Set<String> sent = request.getUriInfo().getQueryParameters().keySet();
      List<String> unknown = sent.stream().filter(name -> !known.contains(name)).sorted().toList();
      if (unknown.isEmpty()) {
        return;
      }
      String accepted =
          known.isEmpty()
              ? "this request takes no query parameters"
              : "known here: " + known.stream().collect(Collectors.joining(", "));
      throw InvalidInputException.of(
          unknown.stream()
              .map(name -> new FieldError(name, "unknown query parameter; " + accepted))
              .toList());
    }
  }
}
