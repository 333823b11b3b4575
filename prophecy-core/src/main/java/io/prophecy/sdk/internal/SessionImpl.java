package io.prophecy.sdk.internal;

import io.prophecy.sdk.ProphecySession;
import io.prophecy.sdk.Team;
import io.prophecy.sdk.Teams;
import io.prophecy.sdk.internal.store.Sql;
import io.prophecy.sdk.model.User;

/** One user's session. */
public final class SessionImpl implements ProphecySession {
  private final Engine engine;
  private final User user;

  public SessionImpl(Engine engine, User user) {
    this.engine = engine;
    this.user = user;
  }

  @Override
  public User user() {
    return user;
  }

  @Override
  public Teams teams() {
    return new TeamsImpl(engine, user);
  }

  @Override
  public Team personalTeam() {
    return engine.db().read(c -> Sql.one(c, Engine.TEAM_OF_MEMBER + " WHERE t.personal_owner = ?",
            rs -> (Team) new TeamImpl(engine, user, Engine.teamInfo(rs)), user.id(), user.id())
        .orElseThrow(() -> Engine.teamNotFound(user, user.email())));
  }

  @Override
  public io.prophecy.sdk.GitCredentials gitCredentials() {
    return new GitCredentialsImpl(engine, user);
  }

  @Override
  public String toString() {
    return "ProphecySession[" + user.email() + "]";
  }
}
