package io.prophecy.sdk;

import java.util.Objects;

/**
 * An argument, setting or file is malformed. {@link #location()} names where: a field such as
 * {@code fabric.settings.workspaceUrl}, a file path, or a gem and its property.
 */
public class InvalidInputException extends ProphecyException {
  private static final long serialVersionUID = 1L;

  private final String location;

  public InvalidInputException(String location, String message) {
    super(location + ": " + message);
    this.location = Objects.requireNonNull(location, "location");
  }

  public InvalidInputException(String location, String message, Throwable cause) {
    super(location + ": " + message, cause);
    this.location = Objects.requireNonNull(location, "location");
  }

  /** Where the bad input is: a field path, a file, or a gem and property. */
  public String location() {
    return location;
  }
}
