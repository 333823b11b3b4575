package io.prophecy.sdk.internal;

import io.prophecy.sdk.ConflictException;
import io.prophecy.sdk.InvalidInputException;
import io.prophecy.sdk.Team;
import io.prophecy.sdk.Teams;
import io.prophecy.sdk.internal.store.Sql;
import io.prophecy.sdk.model.Role;
import io.prophecy.sdk.model.TeamInfo;
import io.prophecy.sdk.model.User;
import java.time.Instant;
import java.util.List;

/** The acting user's teams. */
final class TeamsImpl implements Teams {
  private final Engine engine;
  private final User user;

  TeamsImpl(Engine engine, User user) {
    this.engine = engine;
    this.user = user;
  }

  @Override
  public Team create(String name) {
    Checks.teamName("team.name", name);
    if (name.contains("@")) {
      throw new InvalidInputException("team.name", "'" + name + "': names with '@' are reserved for personal teams");
    }
    TeamInfo info = engine.mutate(user.email(), "team.create", "team:" + name, tx -> {
      if (Sql.count(tx.c, "SELECT COUNT(*) FROM teams WHERE name = ?", name) > 0) {
        throw new ConflictException("The team name '" + name + "' is taken; choose another name");
      }
      long now = engine.now();
      String id = Engine.newId();
      Sql.update(tx.c, "INSERT INTO teams (id, name, personal_owner, created_at) VALUES (?, ?, NULL, ?)", id, name, now);
      Sql.update(tx.c, "INSERT INTO memberships (team_id, user_id, role, since) VALUES (?, ?, ?, ?)",
          id, user.id(), Role.ADMIN.name(), now);
      tx.team(id);
      return TeamInfo.builder().id(id).name(name).personal(false).createdAt(Instant.ofEpochMilli(now)).build();
    });
    return new TeamImpl(engine, user, info);
  }

  @Override
  public Team get(String name) {
    if (name == null) {
      throw new InvalidInputException("team.name", "no value");
    }
    return engine.db().read(c -> Sql.one(c, Engine.TEAM_OF_MEMBER + " WHERE t.name = ?",
            rs -> (Team) new TeamImpl(engine, user, Engine.teamInfo(rs)), user.id(), name)
        .orElseThrow(() -> Engine.teamNotFound(user, name)));
  }

  @Override
  public List<Team> list() {
    return engine.db().read(c -> Sql.list(c, Engine.TEAM_OF_MEMBER + " ORDER BY t.name",
        rs -> (Team) new TeamImpl(engine, user, Engine.teamInfo(rs)), user.id()));
  }
}
