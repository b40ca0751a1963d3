package dev.stevedore.rest;

import dev.stevedore.core.InvalidInputException;
import jakarta.ws.rs.core.EntityPart;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * A {@code multipart/form-data} request read by one set of rules: each part name is known, a single
 * part comes at most once, a file part carries a file name. Parts are read in order and their
 * streams handed on unread, so uploads are never held in memory here.
 */
public final class MultipartForm {

  /** One uploaded file: the name the client gave it (checked further by whoever stores it). */
  public record FilePart(String fileName, InputStream content) {}

  private final Map<String, InputStream> singles = new LinkedHashMap<>();
  private final Map<String, List<FilePart>> files = new LinkedHashMap<>();

  private MultipartForm() {}

  /**
   * Reads the parts.
   *
   * @param single the names of parts that may come once
   * @param repeatable the names of file parts that may come any number of times
   */
  public static MultipartForm read(
      List<EntityPart> parts, Set<String> single, Set<String> repeatable) {
    MultipartForm form = new MultipartForm();
    for (EntityPart part : parts) {
      String name = part.getName();
      if (single.contains(name)) {
        if (form.singles.putIfAbsent(name, part.getContent()) != null) {
          throw InvalidInputException.forField(name, "at most one " + name + " part");
        }
      } else if (repeatable.contains(name)) {
        String fileName =
            part.getFileName()
                .orElseThrow(
                    () ->
                        InvalidInputException.forField(
                            name, "a '" + name + "' part needs a file name"));
        form.files
            .computeIfAbsent(name, n -> new ArrayList<>())
            .add(new FilePart(fileName, part.getContent()));
      } else {
        Set<String> known = new TreeSet<>(single);
        known.addAll(repeatable);
        throw InvalidInputException.forField(name, "unknown part; expected one of " + known);
      }
    }
    return form;
  }

  /** The content of a single part, if it came. */
  public Optional<InputStream> single(String name) {
    return Optional.ofNullable(singles.get(name));
  }

  /** The content of a single part that must come. */
  public InputStream required(String name) {
    return single(name)
        .orElseThrow(
            () -> InvalidInputException.forField(name, "the '" + name + "' part is missing"));
  }

  /** The file parts of this name, in the order they came. */
  public List<FilePart> files(String name) {
    return files.getOrDefault(name, List.of());
  }
}
