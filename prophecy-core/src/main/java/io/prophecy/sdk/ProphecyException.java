package io.prophecy.sdk;

/**
 * The root of every exception the SDK throws. All are unchecked.
 *
 * <p>Each message says what was wrong, where (the user, team, fabric, file, gem or field), and what to
 * do next. Messages never contain a secret value.
 */
public class ProphecyException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public ProphecyException(String message) {
    super(message);
  }

  public ProphecyException(String message, Throwable cause) {
    super(message, cause);
  }
}
