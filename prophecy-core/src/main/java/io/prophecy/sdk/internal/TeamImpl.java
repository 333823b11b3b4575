package io.prophecy.sdk.internal;

import io.prophecy.sdk.ConflictException;
import io.prophecy.sdk.Fabrics;
import io.prophecy.sdk.Members;
import io.prophecy.sdk.Projects;
import io.prophecy.sdk.Team;
import io.prophecy.sdk.internal.store.Sql;
import io.prophecy.sdk.model.AuditEvent;
import io.prophecy.sdk.model.Role;
import io.prophecy.sdk.model.TeamInfo;
import io.prophecy.sdk.model.User;
import java.util.List;

/** A team as one user sees it. */
final class TeamImpl implements Team {
  final Engine engine;
  final User user;
  final TeamInfo info;

  TeamImpl(Engine engine, User user, TeamInfo info) {
    this.engine = engine;
    this.user = user;
    this.info = info;
  }

  String target() {
    return "team:" + info.name();
  }

  @Override
  public TeamInfo info() {
    return info;
  }

  @Override
  public Role myRole() {
    return engine.db().read(c -> engine.requireMember(c, user, info.id(), info.name()).role());
  }

  @Override
  public Members members() {
    return new MembersImpl(this);
  }

  @Override
  public Fabrics fabrics() {
    return new FabricsImpl(this);
  }

  @Override
  public Projects projects() {
    return new ProjectsImpl(this);
  }

  @Override
  public List<AuditEvent> auditLog(int limit) {
    engine.db().read(c -> engine.requireAdmin(c, user, info.id(), info.name(), "read the audit log"));
    return engine.auditEvents(info.id(), limit);
  }

  @Override
  public void delete() {
    engine.mutate(user.email(), "team.delete", target(), tx -> {
      engine.requireAdmin(tx.c, user, info.id(), info.name(), "delete the team");
      tx.team(info.id());
      Engine.requireShared(info, "be deleted while its user exists");
      long fabrics = Sql.count(tx.c, "SELECT COUNT(*) FROM fabrics WHERE team_id = ?", info.id());
      long projects = Sql.count(tx.c, "SELECT COUNT(*) FROM projects WHERE team_id = ?", info.id());
      if (fabrics + projects > 0) {
        throw new ConflictException("Team '" + info.name() + "' still owns " + fabrics + " fabric(s) and "
            + projects + " project(s); delete them first, so that nothing is lost by accident");
      }
      Sql.update(tx.c, "DELETE FROM memberships WHERE team_id = ?", info.id());
      Sql.update(tx.c, "DELETE FROM teams WHERE id = ?", info.id());
      return null;
    });
  }

  @Override
  public String toString() {
    return "Team[" + info.name() + " as " + user.email() + "]";
  }
}
