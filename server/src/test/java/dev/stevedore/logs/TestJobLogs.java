package dev.stevedore.logs;

import dev.stevedore.workspace.Workspaces;
import java.lang.reflect.Proxy;
import org.eclipse.microprofile.metrics.MetricRegistry;

/** Job logs stored in a test's own directory, with metrics that count nothing. */
public final class TestJobLogs {

  private TestJobLogs() {}

  /** Logs of at most 1 MiB per attempt, in {@code workspaces}. */
  public static JobLogs in(Workspaces workspaces) {
    JobLogs logs = new JobLogs();
    logs.workspaces = workspaces;
    logs.live = new LiveLogs();
    logs.metrics = inert(MetricRegistry.class);
    logs.maxBytesPerAttempt = 1 << 20;
    return logs;
  }

  /**
   * An implementation that does nothing: each method returns zero, false, null, or for an interface
   * type another such implementation (a registry's counter, say).
   */
  static <T> T inert(Class<T> type) {
    return type.cast(
        Proxy.newProxyInstance(
            type.getClassLoader(),
            new Class<?>[] {type},
            (self, method, args) -> {
              Class<?> result = method.getReturnType();
              if (method.getName().equals("equals")) {
                return self == args[0];
              }
              if (method.getName().equals("hashCode")) {
                return System.identityHashCode(self);
              }
              if (method.getName().equals("toString")) {
                return "inert " + type.getSimpleName();
              }
              if (result == boolean.class) {
                return false;
              }
              if (result == long.class) {
                return 0L;
              }
              if (result == int.class) {
                return 0;
              }
              if (result == double.class) {
                return 0d;
              }
              if (result.isInterface()) {
                return inert(result);
              }
              return null;
            }));
  }
}
