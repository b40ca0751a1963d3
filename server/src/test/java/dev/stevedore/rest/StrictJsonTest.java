package dev.stevedore.rest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.stevedore.core.FieldError;
import dev.stevedore.core.InputTooLargeException;
import dev.stevedore.core.InvalidInputException;
import jakarta.json.Json;
import jakarta.json.JsonValue;
import java.io.ByteArrayInputStream;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class StrictJsonTest {

  record Inner(Integer count, Double share) {}

  record Outer(
      String name,
      Integer priority,
      Long big,
      Boolean flag,
      List<String> args,
      Map<String, String> env,
      Inner inner,
      List<Inner> inners) {}

  private static List<String> fieldsOf(String json) {
    JsonValue value = Json.createReader(new StringReader(json)).readValue();
    List<FieldError> errors = new ArrayList<>();
    StrictJson.check(value, Outer.class, "", errors);
    return errors.stream().map(FieldError::field).toList();
  }

  @Test
  void valuesOfTheDeclaredTypesPass() {
    assertEquals(
        List.of(),
        fieldsOf(
            "{\"name\": \"a\", \"priority\": 5, \"big\": 10000000000, \"flag\": true,"
                + " \"args\": [\"x\", null], \"env\": {\"A\": \"b\"},"
                + " \"inner\": {\"count\": 2.0, \"share\": 0.5}, \"inners\": [{\"share\": 1}],"
                + " \"priority\": null}"));
  }

  @Test
  void eachValueOfAnotherTypeIsNamedAsSent() {
    assertEquals(List.of("name"), fieldsOf("{\"name\": 5}"));
    assertEquals(List.of("priority"), fieldsOf("{\"priority\": 1.5}"));
    assertEquals(List.of("priority"), fieldsOf("{\"priority\": \"1\"}"));
    assertEquals(List.of("priority"), fieldsOf("{\"priority\": 3000000000}"));
    assertEquals(List.of("flag"), fieldsOf("{\"flag\": \"true\"}"));
    assertEquals(List.of("args"), fieldsOf("{\"args\": \"x\"}"));
    assertEquals(List.of("args[1]"), fieldsOf("{\"args\": [\"x\", 2]}"));
    assertEquals(List.of("env[A]"), fieldsOf("{\"env\": {\"A\": 1}}"));
    assertEquals(List.of("inner.count"), fieldsOf("{\"inner\": {\"count\": 0.1}}"));
    assertEquals(List.of("inners[0].share"), fieldsOf("{\"inners\": [{\"share\": \"1\"}]}"));
    assertEquals(List.of("inner.other"), fieldsOf("{\"inner\": {\"other\": 1}}"));
  }

  @Test
  void readRefusesABodyLargerThanTheCapNamingIt() {
    byte[] json = "{\"name\": \"a\", \"priority\": 7}".getBytes(StandardCharsets.UTF_8);

    InputTooLargeException tooLarge =
        assertThrows(
            InputTooLargeException.class,
            () ->
                StrictJson.read(new ByteArrayInputStream(json), json.length - 1, Outer.class, "x"));

    assertEquals("x", tooLarge.errors().get(0).field());
  }

  @Test
  void readRefusesATypeErrorBeforeBinding() {
    byte[] json = "{\"priority\": 7.5}".getBytes(StandardCharsets.UTF_8);

    InvalidInputException invalid =
        assertThrows(
            InvalidInputException.class,
            () -> StrictJson.read(new ByteArrayInputStream(json), 1000, Outer.class, "x"));

    assertEquals("priority", invalid.errors().get(0).field());
  }
}
