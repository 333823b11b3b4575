package io.prophecy.sdk.internal;

import io.prophecy.sdk.ConflictException;
import io.prophecy.sdk.InvalidInputException;
import io.prophecy.sdk.NotFoundException;
import io.prophecy.sdk.ProphecyException;
import io.prophecy.sdk.Project;
import io.prophecy.sdk.Projects;
import io.prophecy.sdk.internal.project.ProjectFiles;
import io.prophecy.sdk.internal.store.Sql;
import io.prophecy.sdk.model.ProjectInfo;
import io.prophecy.sdk.model.ProjectSpec;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/** A team's projects. */
final class ProjectsImpl implements Projects {
  /**
   * Lists one team's projects for a member in one statement: the join with the membership is the
   * permission check. An empty answer is checked again to tell "no projects" from "not a member".
   */
  static final String LIST_FOR_MEMBER =
      "SELECT p.id, p.name, p.description, p.language, p.working_copy, p.git_remote, u.email, p.created_at"
          + " FROM projects p JOIN memberships m ON m.team_id = p.team_id AND m.user_id = ?"
          + " JOIN users u ON u.id = p.created_by WHERE p.team_id = ?";

  private final TeamImpl team;
  private final Engine engine;

  ProjectsImpl(TeamImpl team) {
    this.team = team;
    this.engine = team.engine;
  }

  @Override
  public Project create(ProjectSpec spec) {
    String target = team.target() + "/project:" + spec.name();
    ProjectInfo info = engine.mutate(team.user.email(), "project.create", target, tx -> {
      engine.requireMember(tx.c, team.user, team.info.id(), team.info.name());
      tx.team(team.info.id());
      if (Sql.count(tx.c, "SELECT COUNT(*) FROM projects WHERE team_id = ? AND name = ?", team.info.id(), spec.name()) > 0) {
        throw new ConflictException("Team '" + team.info.name() + "' has a project named '" + spec.name()
            + "' already; choose another name");
      }
      Path dir = spec.workingCopy()
          .orElseGet(() -> engine.home().resolve("projects").resolve(team.info.id()).resolve(spec.name()))
          .toAbsolutePath().normalize();
      prepareWorkingCopy(dir);
      String id = Engine.newId();
      long now = engine.now();
      new ProjectFiles(dir, engine.home().resolve("locks").resolve(id + ".lock"), engine.clock()).initialize(spec.name(),
          spec.description(), spec.language().name().toLowerCase(java.util.Locale.ROOT), team.user.email(), team.info.name());
      Sql.update(tx.c, "INSERT INTO projects (id, team_id, name, description, language, working_copy, git_remote,"
              + " created_by, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
          id, team.info.id(), spec.name(), spec.description().orElse(null), spec.language().name(), dir.toString(),
          spec.gitRemote().orElse(null), team.user.id(), now);
      tx.detail("workingCopy=" + dir);
      return ProjectInfo.builder().id(id).team(team.info.name())
          .spec(ProjectSpec.builder().from(spec).workingCopy(dir).build())
          .createdBy(team.user.email()).createdAt(Instant.ofEpochMilli(now)).build();
    });
    return new ProjectImpl(team, info);
  }

  private static void prepareWorkingCopy(Path dir) {
    try {
      if (Files.isDirectory(dir)) {
        try (Stream<Path> entries = Files.list(dir)) {
          if (entries.findAny().isPresent()) {
            throw new ConflictException("The working-copy folder " + dir + " exists and is not empty;"
                + " choose another folder with ProjectSpec.builder().workingCopy(path)");
          }
        }
      } else if (Files.exists(dir)) {
        throw new ConflictException("The working-copy path " + dir + " is a file; choose a folder");
      }
      Files.createDirectories(dir);
    } catch (IOException e) {
      throw new ProphecyException("Cannot create the working-copy folder " + dir + ": " + e.getMessage(), e);
    }
  }

  @Override
  public Project open(String name, Path folder) {
    Checks.name("project.name", name);
    Path dir = folder.toAbsolutePath().normalize();
    ProjectInfo info = engine.mutate(team.user.email(), "project.open", team.target() + "/project:" + name, tx -> {
      engine.requireMember(tx.c, team.user, team.info.id(), team.info.name());
      tx.team(team.info.id()).detail("workingCopy=" + dir);
      if (Sql.count(tx.c, "SELECT COUNT(*) FROM projects WHERE team_id = ? AND name = ?", team.info.id(), name) > 0) {
        throw new ConflictException("Team '" + team.info.name() + "' has a project named '" + name + "' already; choose another name");
      }
      String id = Engine.newId();
      var index = new ProjectFiles(dir, engine.home().resolve("locks").resolve(id + ".lock"), engine.clock()).index();
      String lang = index.path("language").asText("python");
      ProjectSpec.Language language;
      try {
        language = ProjectSpec.Language.valueOf(lang.toUpperCase(java.util.Locale.ROOT));
      } catch (IllegalArgumentException e) {
        throw new InvalidInputException(dir.resolve(ProjectFiles.INDEX) + ": language",
            "'" + lang + "' is not python, scala or sql");
      }
      String description = index.path("description").asText("");
      ProjectSpec spec = ProjectSpec.builder().name(name).language(language).workingCopy(dir)
          .description(description.isBlank() ? Optional.empty() : Optional.of(description)).build();
      long now = engine.now();
      Sql.update(tx.c, "INSERT INTO projects (id, team_id, name, description, language, working_copy, git_remote,"
              + " created_by, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
          id, team.info.id(), name, spec.description().orElse(null), language.name(), dir.toString(), null,
          team.user.id(), now);
      return ProjectInfo.builder().id(id).team(team.info.name()).spec(spec)
          .createdBy(team.user.email()).createdAt(Instant.ofEpochMilli(now)).build();
    });
    return new ProjectImpl(team, info);
  }

  @Override
  public Project get(String name) {
    return engine.db().read(c -> {
      engine.requireMember(c, team.user, team.info.id(), team.info.name());
      return Sql.one(c, LIST_FOR_MEMBER + " AND p.name = ?", this::project, team.user.id(), team.info.id(), name)
          .orElseThrow(() -> new NotFoundException("Team '" + team.info.name() + "' has no project named '" + name
              + "'; its projects are listed by team.projects().list()"));
    });
  }

  @Override
  public List<Project> list() {
    return engine.db().read(c -> {
      List<Project> out = Sql.list(c, LIST_FOR_MEMBER + " ORDER BY p.name", this::project, team.user.id(), team.info.id());
      if (out.isEmpty()) {
        engine.requireMember(c, team.user, team.info.id(), team.info.name());
      }
      return out;
    });
  }

  private Project project(ResultSet rs) throws SQLException {
    ProjectSpec spec = ProjectSpec.builder()
        .name(rs.getString(2))
        .description(Optional.ofNullable(rs.getString(3)))
        .language(ProjectSpec.Language.valueOf(rs.getString(4)))
        .workingCopy(Path.of(rs.getString(5)))
        .gitRemote(Optional.ofNullable(rs.getString(6)))
        .build();
    ProjectInfo info = ProjectInfo.builder().id(rs.getString(1)).team(team.info.name()).spec(spec)
        .createdBy(rs.getString(7)).createdAt(Instant.ofEpochMilli(rs.getLong(8))).build();
    return new ProjectImpl(team, info);
  }
}
