package dev.stevedore.runtime.docker;

/**
 * An image reference split the way the pull API wants it. A reference without a tag means {@code
 * latest}: the API would otherwise pull every tag of the repository.
 */
record ImageReference(String repository, String tagOrDigest) {

  static ImageReference parse(String image) {
    int at = image.indexOf('@');
    if (at >= 0) {
      return new ImageReference(image.substring(0, at), image.substring(at + 1));
    }
    int lastSlash = image.lastIndexOf('/');
    int colon = image.lastIndexOf(':');
    if (colon > lastSlash) {
      return new ImageReference(image.substring(0, colon), image.substring(colon + 1));
    }
    return new ImageReference(image, "latest");
  }
}
