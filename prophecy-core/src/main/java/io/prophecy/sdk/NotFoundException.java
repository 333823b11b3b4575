package io.prophecy.sdk;

/**
 * The named object does not exist, or the acting user may not see it. The two cases give the same
 * message so that no name leaks to a user outside the team that owns it.
 */
public class NotFoundException extends ProphecyException {
  private static final long serialVersionUID = 1L;

  public NotFoundException(String message) {
    super(message);
  }
}
