package dev.stevedore.runtime;

import java.util.Locale;
import java.util.regex.Pattern;

/**
 * An image reference checked against the Docker reference grammar: {@code
 * [registry-host[:port]/]path[:tag][@digest]}, with lower-case path components. A job naming
 * anything else is refused before the engine sees it: the engine's own refusal would come only when
 * the job starts.
 *
 * @param registry the registry host and port as written, or null for a Docker Hub name
 * @param path the repository path without the registry
 * @param tag the tag, or null
 * @param digest the digest, or null
 */
public record ImageName(String registry, String path, String tag, String digest) {

  /** The longest reference accepted, registry, tag and digest included. */
  public static final int MAX_LENGTH = 255;

  private static final String COMPONENT = "[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*";
  private static final Pattern PATH = Pattern.compile(COMPONENT + "(?:/" + COMPONENT + ")*");
  private static final String HOST_PART = "(?:[A-Za-z0-9]|[A-Za-z0-9][A-Za-z0-9-]*[A-Za-z0-9])";
  private static final Pattern REGISTRY =
      Pattern.compile(HOST_PART + "(?:\\." + HOST_PART + ")*(?::[0-9]{1,5})?");
  private static final Pattern TAG = Pattern.compile("[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}");
  private static final Pattern DIGEST =
      Pattern.compile("[A-Za-z][A-Za-z0-9]*(?:[-_+.][A-Za-z][A-Za-z0-9]*)*:[0-9a-fA-F]{32,}");

  /** Parses a reference; throws {@link IllegalArgumentException} saying what is wrong. */
  public static ImageName parse(String image) {
    if (image == null || image.isEmpty()) {
      throw new IllegalArgumentException("must not be empty");
    }
    if (image.length() > MAX_LENGTH) {
      throw new IllegalArgumentException("must be at most " + MAX_LENGTH + " characters");
    }
    String rest = image;
    String digest = null;
    int at = rest.indexOf('@');
    if (at >= 0) {
      digest = rest.substring(at + 1);
      rest = rest.substring(0, at);
      if (!DIGEST.matcher(digest).matches()) {
        throw new IllegalArgumentException("has an invalid digest (algorithm:hex expected)");
      }
    }
    String tag = null;
    int colon = rest.lastIndexOf(':');
    if (colon > rest.lastIndexOf('/')) {
      tag = rest.substring(colon + 1);
      rest = rest.substring(0, colon);
      if (!TAG.matcher(tag).matches()) {
        throw new IllegalArgumentException(
            "has an invalid tag (letters, digits, '_', '.' and '-', at most 128)");
      }
    }
    String registry = null;
    int slash = rest.indexOf('/');
    if (slash >= 0) {
      String first = rest.substring(0, slash);
      // The first component names a registry when it looks like a host, as the engine reads it.
      if (first.contains(".")
          || first.contains(":")
          || first.equals("localhost")
          || !first.equals(first.toLowerCase(Locale.ROOT))) {
        registry = first;
        rest = rest.substring(slash + 1);
        if (!REGISTRY.matcher(registry).matches()) {
          throw new IllegalArgumentException("has an invalid registry host");
        }
      }
    }
    if (!PATH.matcher(rest).matches()) {
      throw new IllegalArgumentException(
          "must be a repository of lower-case letters, digits and separators ('.', '_', '-')"
              + " between '/', with an optional registry host, tag and digest");
    }
    return new ImageName(registry, rest, tag, digest);
  }

  /** The registry in lower case, or null for Docker Hub (also when it is named explicitly). */
  public String registryHost() {
    if (registry == null) {
      return null;
    }
    String host = registry.toLowerCase(Locale.ROOT);
    return host.equals("docker.io") || host.equals("index.docker.io") ? null : host;
  }
}
