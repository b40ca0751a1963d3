package dev.stevedore.runtime;

/** The image is not present and cannot be pulled. Repeating the call will not help. */
public class ImageUnavailableException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public ImageUnavailableException(String image, String why) {
    super("Image '" + image + "' is not present and could not be pulled: " + why);
  }
}
