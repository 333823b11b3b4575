package io.prophecy.sdk;

import io.prophecy.sdk.model.AuditEvent;
import io.prophecy.sdk.model.Role;
import io.prophecy.sdk.model.TeamInfo;
import java.util.List;

/**
 * A team as seen by the acting user: it owns fabrics and projects. A handle: every call reads the
 * store, so it sees changes other users make, and fails with {@link NotFoundException} once the team
 * is deleted or the user removed from it.
 */
public interface Team {
  /** What the handle was made with: the team's id, name and whether it is personal. */
  TeamInfo info();

  default String name() {
    return info().name();
  }

  /** The acting user's role in the team now. */
  Role myRole();

  Members members();

  Fabrics fabrics();

  Projects projects();

  /**
   * The newest audit events of the team, newest first. Admins only.
   *
   * @param limit at most this many, 1 to 10,000
   */
  List<AuditEvent> auditLog(int limit);

  /**
   * Deletes the team. Admins only; a personal team cannot be deleted.
   *
   * @throws ConflictException while the team still owns fabrics or projects
   */
  void delete();
}
