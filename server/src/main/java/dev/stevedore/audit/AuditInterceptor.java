package dev.stevedore.audit;

import dev.stevedore.core.AuditSubject;
import dev.stevedore.core.Audited;
import jakarta.annotation.Priority;
import jakarta.inject.Inject;
import jakarta.interceptor.AroundInvoke;
import jakarta.interceptor.Interceptor;
import jakarta.interceptor.InvocationContext;
import jakarta.ws.rs.core.Response;
import java.lang.annotation.Annotation;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.List;

/**
 * Writes the audit entry of each call of an {@link Audited} method: the action, its target and its
 * outcome, in a transaction of its own after the call has ended (and so after the transaction of
 * the call, if it has one, has committed or rolled back).
 */
@Audited
@Interceptor
@Priority(Interceptor.Priority.APPLICATION)
public class AuditInterceptor {

  @Inject AuditLog log;

  @AroundInvoke
  Object record(InvocationContext call) throws Exception {
    Method method = call.getMethod();
    String action = actionOf(method);
    String target = targetOf(method, call.getParameters());
    Object answer;
    try {
      answer = call.proceed();
    } catch (Exception e) {
      log.append(action, target, AuditLog.outcomeOf(e));
      throw e;
    }
    log.append(action, target != null ? target : subjectOf(answer), "ok");
    return answer;
  }

  /** The action named on the method, or else on its class. */
  static String actionOf(Method method) {
    Audited audited = method.getAnnotation(Audited.class);
    if (audited == null || audited.value().isBlank()) {
      audited = method.getDeclaringClass().getAnnotation(Audited.class);
    }
    if (audited == null || audited.value().isBlank()) {
      throw new IllegalStateException(method + " is @Audited without an action name");
    }
    return audited.value();
  }

  /** The values of the parameters marked {@link Audited.Target}, joined by '/'; else null. */
  static String targetOf(Method method, Object[] arguments) {
    Annotation[][] annotations = method.getParameterAnnotations();
    List<String> parts = new ArrayList<>();
    for (int i = 0; i < annotations.length; i++) {
      for (Annotation annotation : annotations[i]) {
        if (annotation instanceof Audited.Target) {
          parts.add(String.valueOf(arguments[i]));
        }
      }
    }
    return parts.isEmpty() ? null : String.join("/", parts);
  }

  /** What the answer names, when it is a {@link AuditSubject} or a response carrying one. */
  static String subjectOf(Object answer) {
    Object subject = answer instanceof Response response ? response.getEntity() : answer;
    return subject instanceof AuditSubject named ? named.auditTarget() : null;
  }
}
