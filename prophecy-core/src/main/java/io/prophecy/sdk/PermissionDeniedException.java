package io.prophecy.sdk;

/**
 * The acting user can see the object but lacks the role the operation needs, for example a team
 * member trying to manage the team's fabrics, which only admins may do.
 */
public class PermissionDeniedException extends ProphecyException {
  private static final long serialVersionUID = 1L;

  public PermissionDeniedException(String message) {
    super(message);
  }
}
