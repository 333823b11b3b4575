package io.prophecy.sdk;

import io.prophecy.sdk.model.Membership;
import io.prophecy.sdk.model.Role;
import java.util.List;

/** A team's members. Every member may list them; only admins change them. */
public interface Members {
  /** The members, by e-mail. */
  List<Membership> list();

  /**
   * Adds a user to the team.
   *
   * @throws NotFoundException when no user has that e-mail
   * @throws ConflictException when the user is a member already, or the team is personal
   */
  Membership add(String email, Role role);

  /**
   * Changes a member's role.
   *
   * @throws ConflictException when that would leave the team without an admin
   */
  Membership setRole(String email, Role role);

  /**
   * Removes a member; the member's credentials for the team's fabrics are deleted with it.
   *
   * @throws ConflictException when that would leave the team without an admin
   */
  void remove(String email);
}
