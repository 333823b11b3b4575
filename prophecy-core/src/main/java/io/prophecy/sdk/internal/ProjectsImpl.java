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
import io.prophecy.sdk.spi.CodeAuthor;
import io.prophecy.sdk.spi.CodeStore;
import io.prophecy.sdk.spi.RemoteAuth;
import io.prophecy.sdk.spi.WorkingCopy;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;

/** A team's projects. */
final class ProjectsImpl implements Projects {
  private static final org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(ProjectsImpl.class);
  /**
   * Lists one team's projects for a member in one statement: the join with the membership is the
   * permission check. An empty answer is checked again to tell "no projects" from "not a member".
   */
  static final String LIST_FOR_MEMBER =
      "SELECT p.id, p.name, p.description, p.language, p.working_copy, p.git_remote, u.email, p.created_at,"
          + " p.default_branch, p.protect_default_branch"
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
      spec.gitRemote().ifPresent(this::checkRemote);
      prepareWorkingCopy(dir);
      String id = Engine.newId();
      long now = engine.now();
      new ProjectFiles(dir, engine.home().resolve("locks").resolve(id + ".lock"), engine.clock()).initialize(spec.name(),
          spec.description(), spec.language().name().toLowerCase(java.util.Locale.ROOT), team.user.email(), team.info.name());
      Optional<String> first = engine.codeStores().get().map(store -> firstCommit(store, dir, spec));
      insert(tx.c, id, spec, dir, spec.gitRemote(), spec.defaultBranch(), now);
      tx.detail("workingCopy=" + dir + first.map(c -> ", first commit " + c).orElse(", no code store: not a Git repository"));
      return ProjectInfo.builder().id(id).team(team.info.name())
          .spec(ProjectSpec.builder().from(spec).workingCopy(dir).build())
          .createdBy(team.user.email()).createdAt(Instant.ofEpochMilli(now)).build();
    });
    return new ProjectImpl(team, info);
  }

  /**
   * Refuses a remote URL before anything is written: one the SDK cannot use (SSH, a password in it), and
   * one the code store finds wrong for its host's provider.
   */
  private void checkRemote(String remoteUrl) {
    GitCredentialsImpl.hostOf(remoteUrl);
    engine.codeStores().get().ifPresent(store -> store.validateRemote(remoteUrl));
  }

  /** Makes the new project's folder a repository with one commit of its files, by the acting user. */
  private String firstCommit(CodeStore store, Path dir, ProjectSpec spec) {
    try (WorkingCopy wc = store.init(dir, spec.defaultBranch())) {
      spec.gitRemote().ifPresent(wc::setRemoteUrl);
      String email = team.user.email();
      return wc.commit("Create project " + spec.name(), new CodeAuthor(email, email)).id();
    }
  }

  private void insert(java.sql.Connection c, String id, ProjectSpec spec, Path dir, Optional<String> remote,
      String defaultBranch, long now) throws SQLException {
    Sql.update(c, "INSERT INTO projects (id, team_id, name, description, language, working_copy, git_remote,"
            + " created_by, created_at, default_branch, protect_default_branch) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        id, team.info.id(), spec.name(), spec.description().orElse(null), spec.language().name(), dir.toString(),
        remote.orElse(null), team.user.id(), now, defaultBranch, spec.protectDefaultBranch() ? 1 : 0);
  }

  @Override
  public Project clone(ProjectSpec given) {
    String remote = given.gitRemote().orElseThrow(() -> new InvalidInputException("project.gitRemote",
        "cloning needs the remote's URL: ProjectSpec.builder().gitRemote(url)"));
    String action = "project.clone";
    String target = team.target() + "/project:" + given.name();
    String actor = team.user.email();
    Path dir = given.workingCopy()
        .orElseGet(() -> engine.home().resolve("projects").resolve(team.info.id()).resolve(given.name()))
        .toAbsolutePath().normalize();
    try {
      engine.db().read(c -> {
        engine.requireMember(c, team.user, team.info.id(), team.info.name());
        return null;
      });
    } catch (NotFoundException e) {
      engine.audit(actor, action, target, null, io.prophecy.sdk.model.AuditEvent.Outcome.DENIED, Engine.describe(e));
      throw e;
    }
    Path made = null;
    boolean existed = false;
    boolean audited = false;
    Set<String> secrets = new java.util.HashSet<>();
    try {
      CodeStore store = engine.codeStores().require("clone project '" + given.name() + "'");
      checkRemote(remote);
      requireFreeName(given.name());
      existed = Files.isDirectory(dir);
      prepareWorkingCopy(dir);
      made = dir;
      RemoteAuth auth = new GitCredentialsImpl(engine, team.user).forRemote(remote, store, target, team.info.id());
      auth.token().ifPresent(t -> secrets.add(t.reveal()));
      String branch;
      try (WorkingCopy wc = store.cloneRepository(remote, dir, auth)) {
        branch = wc.currentBranch();
      }
      String id = Engine.newId();
      ProjectSpec read = specFromIndex(given.name(), dir, id);
      ProjectSpec spec = ProjectSpec.builder().from(read).gitRemote(remote).defaultBranch(branch)
          .protectDefaultBranch(given.protectDefaultBranch()).build();
      audited = true; // from here on the mutation audits its own outcome
      ProjectInfo info = engine.mutate(actor, action, target, tx -> {
        engine.requireMember(tx.c, team.user, team.info.id(), team.info.name());
        tx.team(team.info.id()).detail("workingCopy=" + dir + ", remote=" + GitCredentialsImpl.safeUrl(remote)
            + ", branch=" + branch);
        if (Sql.count(tx.c, "SELECT COUNT(*) FROM projects WHERE team_id = ? AND name = ?", team.info.id(), spec.name()) > 0) {
          throw nameTaken(spec.name());
        }
        long now = engine.now();
        insert(tx.c, id, spec, dir, Optional.of(remote), branch, now);
        return ProjectInfo.builder().id(id).team(team.info.name()).spec(spec)
            .createdBy(actor).createdAt(Instant.ofEpochMilli(now)).build();
      });
      made = null;
      log.debug("Cloned {} into {}", GitCredentialsImpl.safeUrl(remote), dir);
      return new ProjectImpl(team, info);
    } catch (RuntimeException e) {
      RuntimeException safe = e;
      Redaction redaction = new Redaction("git", secrets);
      if (redaction.leaks(e)) {
        safe = redaction.failure(e);
      }
      if (made != null) {
        removeClone(made, existed, safe);
      }
      if (!audited) {
        engine.audit(actor, action, target, team.info.id(), io.prophecy.sdk.model.AuditEvent.Outcome.FAILED,
            Engine.describe(safe));
      }
      throw safe;
    }
  }

  /**
   * Removes a clone that failed. The folder was empty or missing before, so nothing of the user's goes;
   * a folder that was there stays, empty.
   */
  private static void removeClone(Path dir, boolean keepFolder, RuntimeException failure) {
    try (Stream<Path> walk = Files.walk(dir)) {
      for (Path p : walk.sorted(java.util.Comparator.reverseOrder()).toList()) {
        if (!(keepFolder && p.equals(dir))) {
          Files.deleteIfExists(p);
        }
      }
    } catch (IOException e) {
      failure.addSuppressed(new ProphecyException("Could not remove the failed clone in " + dir + ": " + e.getMessage(), e));
    }
  }

  private void requireFreeName(String name) {
    engine.db().read(c -> {
      if (Sql.count(c, "SELECT COUNT(*) FROM projects WHERE team_id = ? AND name = ?", team.info.id(), name) > 0) {
        throw nameTaken(name);
      }
      return null;
    });
  }

  private ConflictException nameTaken(String name) {
    return new ConflictException("Team '" + team.info.name() + "' has a project named '" + name
        + "' already; choose another name");
  }

  /** The spec a project folder's {@code pbt_project.yml} gives: language and description. */
  private ProjectSpec specFromIndex(String name, Path dir, String id) {
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
    return ProjectSpec.builder().name(name).language(language).workingCopy(dir)
        .description(description.isBlank() ? Optional.empty() : Optional.of(description)).build();
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
      ProjectSpec read = specFromIndex(name, dir, id);
      // A Git working copy keeps its branch and remote; the SDK records them and changes no file.
      Optional<String> remote = Optional.empty();
      String branch = read.defaultBranch();
      Optional<CodeStore> store = engine.codeStores().get().filter(s -> s.isWorkingCopy(dir));
      if (store.isPresent()) {
        try (WorkingCopy wc = store.get().open(dir)) {
          remote = wc.remoteUrl();
          branch = wc.currentBranch();
        }
      }
      ProjectSpec spec = ProjectSpec.builder().from(read).gitRemote(remote).defaultBranch(branch).build();
      long now = engine.now();
      insert(tx.c, id, spec, dir, remote, branch, now);
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
        .defaultBranch(Optional.ofNullable(rs.getString(9)).orElse("main"))
        .protectDefaultBranch(rs.getInt(10) != 0)
        .build();
    ProjectInfo info = ProjectInfo.builder().id(rs.getString(1)).team(team.info.name()).spec(spec)
        .createdBy(rs.getString(7)).createdAt(Instant.ofEpochMilli(rs.getLong(8))).build();
    return new ProjectImpl(team, info);
  }
}
