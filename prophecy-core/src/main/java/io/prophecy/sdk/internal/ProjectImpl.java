package io.prophecy.sdk.internal;

import io.prophecy.sdk.NotFoundException;
import io.prophecy.sdk.Project;
import io.prophecy.sdk.internal.store.Sql;
import io.prophecy.sdk.model.ProjectInfo;
import io.prophecy.sdk.model.RunRecord;
import java.util.List;

/** A project as one member sees it. */
final class ProjectImpl implements Project {
  private final TeamImpl team;
  private final Engine engine;
  private final ProjectInfo info;

  ProjectImpl(TeamImpl team, ProjectInfo info) {
    this.team = team;
    this.engine = team.engine;
    this.info = info;
  }

  @Override
  public ProjectInfo info() {
    return info;
  }

  @Override
  public List<RunRecord> runs(int limit) {
    return engine.db().read(c -> {
      engine.requireMember(c, team.user, team.info.id(), team.info.name());
      return RunHistory.list(c, info.id(), limit);
    });
  }

  @Override
  public void delete() {
    engine.mutate(team.user.email(), "project.delete", team.target() + "/project:" + info.name(), tx -> {
      engine.requireAdmin(tx.c, team.user, team.info.id(), team.info.name(), "delete projects");
      tx.team(team.info.id()).detail("workingCopy kept at " + workingCopy());
      if (Sql.update(tx.c, "DELETE FROM projects WHERE id = ?", info.id()) == 0) {
        throw new NotFoundException("Project '" + info.name() + "' of team '" + team.info.name() + "' was deleted already");
      }
      return null;
    });
  }

  @Override
  public String toString() {
    return "Project[" + team.info.name() + "/" + info.name() + "]";
  }
}
