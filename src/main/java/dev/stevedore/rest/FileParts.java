package dev.stevedore.rest;

import dev.stevedore.workspace.InputStager;
import jakarta.ws.rs.core.EntityPart;

/** Multipart file parts as uploads: each needs a file name, which the stager checks further. */
public final class FileParts {

  private FileParts() {}

  public static InputStager.Upload upload(EntityPart part) {
    String name =
        part.getFileName()
            .orElseThrow(
                () ->
                    new InvalidParameterException(
                        part.getName(), "a '" + part.getName() + "' part needs a file name"));
    return new InputStager.Upload(name, part.getContent());
  }
}
