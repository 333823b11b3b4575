package io.prophecy.sdk;

import java.util.List;

/** The acting user's teams. */
public interface Teams {
  /**
   * Makes a team with the acting user as its admin.
   *
   * @throws InvalidInputException when the name is malformed
   * @throws ConflictException when the name is taken
   */
  Team create(String name);

  /**
   * A team the acting user belongs to.
   *
   * @throws NotFoundException when there is no such team or the user is not a member (one message for
   *     both, so that team names do not leak)
   */
  Team get(String name);

  /** The teams the acting user belongs to, by name. */
  List<Team> list();
}
