package dev.stevedore.core;

import static java.lang.annotation.ElementType.METHOD;
import static java.lang.annotation.ElementType.PARAMETER;
import static java.lang.annotation.ElementType.TYPE;
import static java.lang.annotation.RetentionPolicy.RUNTIME;

import jakarta.enterprise.util.Nonbinding;
import jakarta.interceptor.InterceptorBinding;
import java.lang.annotation.Documented;
import java.lang.annotation.Retention;

/**
 * Marks a sensitive action: each call is written to the audit log with the caller, the action's
 * name, what it acted on and how it ended ({@code ok}, or {@code refused} or {@code failed} when it
 * throws). The entry is written whether the method answers or throws.
 *
 * <p>What it acted on (the target) is named by the parameters marked {@link Target}, joined by
 * {@code /} when there are several; without such a parameter, by the answer when it is a {@link
 * AuditSubject} (or a {@code Response} whose entity is one), as a newly made thing names its own
 * id. A call that throws before there is an answer then has no target.
 */
@InterceptorBinding
@Documented
@Retention(RUNTIME)
@java.lang.annotation.Target({METHOD, TYPE})
public @interface Audited {

  /** The action's name, such as {@code job.cancel}; required on a method. */
  @Nonbinding
  String value() default "";

  /** A parameter that names what the action acts on, such as a job's id. */
  @Documented
  @Retention(RUNTIME)
  @java.lang.annotation.Target(PARAMETER)
  @interface Target {}
}
