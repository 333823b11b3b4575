package io.prophecy.sdk.internal;

import io.prophecy.sdk.Datasets;
import io.prophecy.sdk.Jobs;
import io.prophecy.sdk.NotFoundException;
import io.prophecy.sdk.Pipelines;
import io.prophecy.sdk.Project;
import io.prophecy.sdk.internal.project.ProjectFiles;
import io.prophecy.sdk.internal.store.Sql;
import io.prophecy.sdk.model.ProjectInfo;
import io.prophecy.sdk.model.RunRecord;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;

/** A project as one member sees it. */
final class ProjectImpl implements Project {
  final TeamImpl team;
  final Engine engine;
  final ProjectInfo info;

  ProjectImpl(TeamImpl team, ProjectInfo info) {
    this.team = team;
    this.engine = team.engine;
    this.info = info;
  }

  @Override
  public ProjectInfo info() {
    return info;
  }

  String target() {
    return team.target() + "/project:" + info.name();
  }

  ProjectFiles files() {
    return new ProjectFiles(workingCopy(), engine.home().resolve("locks").resolve(info.id() + ".lock"), engine.clock());
  }

  /** Checks the acting user may see the project and it is still registered. */
  void requireVisible(Connection c) throws SQLException {
    engine.requireMember(c, team.user, team.info.id(), team.info.name());
    if (Sql.count(c, "SELECT COUNT(*) FROM projects WHERE id = ?", info.id()) == 0) {
      throw new NotFoundException("Project '" + info.name() + "' of team '" + team.info.name() + "' was deleted");
    }
  }

  /** Checks as {@link #requireVisible}, inside a read. */
  void requireVisible() {
    engine.db().read(c -> {
      requireVisible(c);
      return null;
    });
  }

  @Override
  public Pipelines pipelines() {
    return new PipelinesImpl(this);
  }

  @Override
  public Datasets datasets() {
    return new DatasetsImpl(this);
  }

  @Override
  public Jobs jobs() {
    return new JobsImpl(this);
  }

  @Override
  public io.prophecy.sdk.ProjectGit git() {
    return new ProjectGitImpl(this);
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
    engine.mutate(team.user.email(), "project.delete", target(), tx -> {
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
