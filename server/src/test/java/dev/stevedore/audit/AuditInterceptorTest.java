package dev.stevedore.audit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.stevedore.batch.BatchResource;
import dev.stevedore.cleanup.AdminResource;
import dev.stevedore.core.AuditSubject;
import dev.stevedore.core.Audited;
import dev.stevedore.core.ConflictException;
import dev.stevedore.core.JobId;
import dev.stevedore.job.JobResource;
import dev.stevedore.security.KeyResource;
import dev.stevedore.security.TenantResource;
import dev.stevedore.webhooks.WebhookResource;
import jakarta.interceptor.InvocationContext;
import jakarta.ws.rs.PathParam;
import java.lang.reflect.Constructor;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

class AuditInterceptorTest {

  private static final JobId JOB = new JobId("0190a0b0-0000-7000-8000-000000000001");

  private final List<String> entries = new ArrayList<>();
  private final AuditInterceptor interceptor = new AuditInterceptor();

  {
    interceptor.log =
        new AuditLog() {
          @Override
          public void append(String action, String target, String outcome) {
            entries.add(action + " " + target + " " + outcome);
          }
        };
  }

  /** Audited actions of a made-up resource. */
  static class Things {
    @Audited("thing.cancel")
    public String cancel(@Audited.Target JobId id) {
      return "cancelled " + id;
    }

    @Audited("thing.file")
    public void file(@Audited.Target JobId id, String unrelated, @Audited.Target String path) {}

    @Audited("thing.create")
    public Made create(String name) {
      if (name.isEmpty()) {
        throw new ConflictException("exists", "Exists", "It exists");
      }
      return new Made("t-" + name);
    }

    @Audited("thing.break")
    public Made fail(@Audited.Target String id) {
      throw new IllegalStateException("broken");
    }
  }

  record Made(String id) implements AuditSubject {
    @Override
    public String auditTarget() {
      return id;
    }
  }

  @Test
  void anActionOnAThingNamedByItsParameterIsRecordedOk() throws Exception {
    Object answer = call("cancel", JOB);

    assertEquals("cancelled " + JOB, answer);
    assertEquals(List.of("thing.cancel " + JOB + " ok"), entries);
  }

  @Test
  void severalTargetParametersAreJoinedBySlashes() throws Exception {
    call("file", JOB, "ignored", "out/report.txt");

    assertEquals(List.of("thing.file " + JOB + "/out/report.txt ok"), entries);
  }

  @Test
  void aMadeThingNamesItselfInTheEntry() throws Exception {
    call("create", "a");

    assertEquals(List.of("thing.create t-a ok"), entries);
  }

  @Test
  void aDomainExceptionIsRefusedAndAnyOtherFailedAndBothAreRethrown() {
    ConflictException conflict = assertThrows(ConflictException.class, () -> call("create", ""));
    IllegalStateException broken =
        assertThrows(IllegalStateException.class, () -> call("fail", "x-1"));

    assertEquals("It exists", conflict.getMessage());
    assertEquals("broken", broken.getMessage());
    assertEquals(List.of("thing.create null refused", "thing.break x-1 failed"), entries);
  }

  @Test
  void theResourcesKeepTheirActionNames() {
    Map<String, String> actions = new TreeMap<>();
    Stream.of(
            JobResource.class,
            BatchResource.class,
            TenantResource.class,
            KeyResource.class,
            WebhookResource.class,
            AdminResource.class)
        .flatMap(c -> Arrays.stream(c.getDeclaredMethods()))
        .filter(m -> m.isAnnotationPresent(Audited.class))
        .forEach(
            m ->
                actions.merge(
                    m.getDeclaringClass().getSimpleName() + "." + m.getName(),
                    AuditInterceptor.actionOf(m) + targets(m),
                    (a, b) -> a + ", " + b));

    Map<String, String> expected = new TreeMap<>();
    expected.put("JobResource.submit", "job.submit(answer)");
    expected.put("JobResource.submitWithFiles", "job.submit(answer)");
    expected.put("JobResource.cancel", "job.cancel(id)");
    expected.put("JobResource.delete", "job.delete(id)");
    expected.put("JobResource.output", "job.output.download(id)");
    expected.put("JobResource.file", "job.file.download(id/path)");
    expected.put("BatchResource.submit", "batch.submit(answer)");
    expected.put("BatchResource.submitWithFiles", "batch.submit(answer)");
    expected.put("BatchResource.output", "batch.output.download(id)");
    expected.put("BatchResource.stop", "batch.stop(id)");
    expected.put("BatchResource.restart", "batch.restart(id)");
    expected.put("BatchResource.abandon", "batch.abandon(id)");
    expected.put("TenantResource.create", "tenant.create(answer)");
    expected.put("TenantResource.update", "tenant.update(id)");
    expected.put("KeyResource.create", "key.create(answer)");
    expected.put("KeyResource.revoke", "key.revoke(id)");
    expected.put("WebhookResource.create", "webhook.create(answer)");
    expected.put("WebhookResource.delete", "webhook.delete(id)");
    expected.put("AdminResource.cleanup", "cleanup(answer)");
    assertEquals(expected, actions);
  }

  /** How a method names its target: "(answer)", or its target parameters' path names. */
  private static String targets(Method method) {
    List<String> names =
        Arrays.stream(method.getParameters())
            .filter(p -> p.isAnnotationPresent(Audited.Target.class))
            .map(p -> p.getAnnotation(PathParam.class).value())
            .toList();
    return "(" + (names.isEmpty() ? "answer" : String.join("/", names)) + ")";
  }

  private Object call(String name, Object... arguments) throws Exception {
    Method method =
        Arrays.stream(Things.class.getMethods())
            .filter(m -> m.getName().equals(name))
            .findFirst()
            .orElseThrow();
    return interceptor.record(new Invocation(new Things(), method, arguments));
  }

  /** Calls the method directly, as the container would after the interceptors. */
  private record Invocation(Object target, Method method, Object[] arguments)
      implements InvocationContext {

    @Override
    public Object getTarget() {
      return target;
    }

    @Override
    public Object getTimer() {
      return null;
    }

    @Override
    public Method getMethod() {
      return method;
    }

    @Override
    public Constructor<?> getConstructor() {
      return null;
    }

    @Override
    public Object[] getParameters() {
      return arguments;
    }

    @Override
    public void setParameters(Object[] params) {
      throw new UnsupportedOperationException();
    }

    @Override
    public Map<String, Object> getContextData() {
      return new HashMap<>();
    }

    @Override
    public Object proceed() throws Exception {
      try {
        return method.invoke(target, arguments);
      } catch (InvocationTargetException e) {
        throw (Exception) e.getCause();
      }
    }
  }

  @Test
  void anAnswerThatNamesNothingLeavesTheTargetEmpty() {
    assertSame(null, AuditInterceptor.subjectOf("plain"));
    assertSame(null, AuditInterceptor.subjectOf(null));
  }
}
