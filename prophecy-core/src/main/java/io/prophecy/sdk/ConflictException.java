package io.prophecy.sdk;

/**
 * The operation clashes with the current state: a name already taken, the last admin of a team
 * being removed, a personal team being shared.
 */
public class ConflictException extends ProphecyException {
  private static final long serialVersionUID = 1L;

  public ConflictException(String message) {
    super(message);
  }
}
