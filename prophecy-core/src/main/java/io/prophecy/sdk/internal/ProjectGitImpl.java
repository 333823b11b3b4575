package io.prophecy.sdk.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import io.prophecy.sdk.ConflictException;
import io.prophecy.sdk.InvalidInputException;
import io.prophecy.sdk.MergeConflictException;
import io.prophecy.sdk.NotFoundException;
import io.prophecy.sdk.ProjectGit;
import io.prophecy.sdk.internal.project.ProjectFiles;
import io.prophecy.sdk.model.AuditEvent.Outcome;
import io.prophecy.sdk.model.Commit;
import io.prophecy.sdk.model.FileChange;
import io.prophecy.sdk.model.MergeResult;
import io.prophecy.sdk.model.ProjectChanges;
import io.prophecy.sdk.model.ProjectChanges.EntityChange;
import io.prophecy.sdk.model.Release;
import io.prophecy.sdk.spi.CodeAuthor;
import io.prophecy.sdk.spi.CodeStore;
import io.prophecy.sdk.spi.MergeOutcome;
import io.prophecy.sdk.spi.MergeResolver;
import io.prophecy.sdk.spi.RemoteAuth;
import io.prophecy.sdk.spi.WorkingCopy;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Function;

/** A project's Git workflow as one member sees it, over the installed {@link CodeStore}. */
final class ProjectGitImpl implements ProjectGit {
  private static final List<String> GROUPS = List.of("pipelines", "datasets", "jobs");

  /** Merges the project index entry by entry; other files that changed on both sides stay conflicts. */
  static final MergeResolver RESOLVER = (path, base, ours, theirs) -> {
    if (!path.equals(ProjectFiles.INDEX) || ours.isEmpty() || theirs.isEmpty()) {
      return Optional.empty();
    }
    return ProjectFiles.mergeIndex(base.map(ProjectGitImpl::text).orElse(""), text(ours.get()), text(theirs.get()))
        .map(t -> t.getBytes(StandardCharsets.UTF_8));
  };

  private static String text(byte[] bytes) {
    return new String(bytes, StandardCharsets.UTF_8);
  }

  private final ProjectImpl project;
  private final Engine engine;

  ProjectGitImpl(ProjectImpl project) {
    this.project = project;
    this.engine = project.engine;
  }

  /** One audited call: the secrets it used, so that none leaves in an exception. */
  private final class Call {
    final Set<String> secrets = new HashSet<>();

    RemoteAuth auth(String remoteUrl) {
      CodeStore store = engine.codeStores().require("reach the Git remote");
      RemoteAuth auth = new GitCredentialsImpl(engine, project.team.user)
          .forRemote(remoteUrl, store, project.target(), project.team.info.id());
      auth.token().ifPresent(t -> secrets.add(t.reveal()));
      return auth;
    }
  }

  @FunctionalInterface
  private interface Work<T> {
    T apply(WorkingCopy wc, Call call);
  }

  private String what() {
    return "project '" + project.info.name() + "' of team '" + project.team.info.name() + "'";
  }

  private WorkingCopy open(String doing) {
    CodeStore store = engine.codeStores().require(doing + " of " + what());
    return store.open(project.workingCopy());
  }

  /** A read: the access check, then the work on a working copy opened for it. */
  private <T> T read(String doing, Function<WorkingCopy, T> work) {
    project.requireVisible();
    try (WorkingCopy wc = open(doing)) {
      return work.apply(wc);
    }
  }

  /**
   * A change: the access check, the work under the project's edit lock, and an audit entry with its
   * outcome. A failure whose message carries a token used by the call is replaced by one without it.
   */
  private <T> T act(String action, String doing, Function<T, String> detail, Work<T> work) {
    String actor = project.team.user.email();
    String target = project.target();
    try {
      project.requireVisible();
    } catch (NotFoundException e) {
      engine.audit(actor, action, target, null, Outcome.DENIED, Engine.describe(e));
      throw e;
    }
    String teamId = project.team.info.id();
    Call call = new Call();
    try {
      T result = project.files().exclusive(() -> {
        try (WorkingCopy wc = open(doing)) {
          return work.apply(wc, call);
        }
      });
      engine.audit(actor, action, target, teamId, Outcome.SUCCESS, detail.apply(result));
      return result;
    } catch (RuntimeException e) {
      RuntimeException safe = e;
      Redaction redaction = new Redaction("git", call.secrets);
      if (redaction.leaks(e)) {
        safe = redaction.failure(e);
      }
      engine.audit(actor, action, target, teamId, Outcome.FAILED, Engine.describe(safe));
      throw safe;
    }
  }

  private CodeAuthor author() {
    String email = project.team.user.email();
    return new CodeAuthor(email, email);
  }

  private void requireUnprotected(WorkingCopy wc, String doing) {
    String branch = wc.currentBranch();
    if (project.info.spec().protectDefaultBranch() && branch.equals(defaultBranch())) {
      throw new ConflictException("Project '" + project.info.name() + "' forbids " + doing + " on its default branch '"
          + branch + "': create a branch with project.git().createBranch(name), check it out, and merge it at"
          + " the Git host");
    }
  }

  private static void requireClean(WorkingCopy wc, String doing) {
    List<FileChange> changes = wc.status();
    if (!changes.isEmpty()) {
      throw new ConflictException("Cannot " + doing + " with uncommitted changes in " + wc.root() + ": "
          + summary(changes.stream().map(FileChange::toString).toList())
          + ". Commit them with project.git().commit(message) first");
    }
  }

  private String remoteOf(WorkingCopy wc) {
    return wc.remoteUrl().orElseThrow(() -> new ConflictException("Project '" + project.info.name()
        + "' has no Git remote: its working copy " + wc.root() + " has no 'origin'. Clone the project from its"
        + " remote with team.projects().clone(name, url), or create it with ProjectSpec.builder().gitRemote(url)"));
  }

  private static String summary(List<String> items) {
    int shown = Math.min(items.size(), 20);
    return String.join(", ", items.subList(0, shown)) + (items.size() > shown ? " and " + (items.size() - shown) + " more" : "");
  }

  // ------------------------------------------------------------------------------------------ reads

  @Override
  public String currentBranch() {
    return read("read the branch", WorkingCopy::currentBranch);
  }

  @Override
  public String defaultBranch() {
    return project.info.spec().defaultBranch();
  }

  @Override
  public List<String> branches() {
    return read("list the branches", WorkingCopy::branches);
  }

  @Override
  public List<String> tags() {
    return read("list the tags", WorkingCopy::tags);
  }

  @Override
  public ProjectChanges status() {
    return read("read the status", wc -> changes(wc, wc.status(), "HEAD", Optional.empty()));
  }

  @Override
  public ProjectChanges diff(String from, String to) {
    Checks.notBlank("diff.from", from);
    Checks.notBlank("diff.to", to);
    return read("diff", wc -> changes(wc, wc.diff(from, to), from, Optional.of(to)));
  }

  @Override
  public List<Commit> log(int limit) {
    if (limit < 1 || limit > 10_000) {
      throw new InvalidInputException("limit", "must be between 1 and 10000, was " + limit);
    }
    return read("read the log", wc -> wc.log(limit));
  }

  @Override
  public Optional<String> remote() {
    return read("read the remote", WorkingCopy::remoteUrl);
  }

  // ---------------------------------------------------------------------------------------- changes

  @Override
  public void createBranch(String name, Optional<String> from) {
    Checks.branch("branch", name);
    act("git.branch", "create a branch", r -> "branch " + name + from.map(f -> " from " + f).orElse(""), (wc, call) -> {
      wc.createBranch(name, from);
      return name;
    });
  }

  @Override
  public void checkout(String branch) {
    Checks.branch("branch", branch);
    act("git.checkout", "check out a branch", r -> "branch " + branch, (wc, call) -> {
      wc.checkout(branch);
      return branch;
    });
  }

  @Override
  public Commit commit(String message) {
    Checks.notBlank("commit.message", message);
    return act("git.commit", "commit", c -> "commit " + c.id() + ": " + c.subject(),
        (wc, call) -> {
          requireUnprotected(wc, "commits");
          return wc.commit(message, author());
        });
  }

  @Override
  public MergeResult pull() {
    return act("git.pull", "pull", r -> r.status() + " " + r.head().orElse(""), (wc, call) -> {
      String remote = remoteOf(wc);
      requireClean(wc, "pull");
      MergeOutcome outcome = wc.pull(call.auth(remote), author(), RESOLVER);
      return result(wc, outcome, "Pulling " + GitCredentialsImpl.safeUrl(remote) + " into '" + wc.currentBranch() + "'");
    });
  }

  @Override
  public MergeResult merge(String branch) {
    Checks.branch("branch", branch);
    return act("git.merge", "merge", r -> "merged " + branch + ": " + r.status(), (wc, call) -> {
      requireUnprotected(wc, "merges");
      requireClean(wc, "merge");
      String into = wc.currentBranch();
      if (into.equals(branch)) {
        throw new InvalidInputException("branch", "'" + branch + "' is the branch checked out; check out the branch"
            + " to merge into first");
      }
      return result(wc, wc.merge(branch, author(), RESOLVER), "Merging '" + branch + "' into '" + into + "'");
    });
  }

  private MergeResult result(WorkingCopy wc, MergeOutcome o, String doing) {
    if (o.status() == MergeOutcome.Status.CONFLICTING) {
      List<String> pipelines = o.conflicts().stream().map(p -> entity(p, "pipelines")).flatMap(Optional::stream)
          .distinct().sorted().toList();
      throw new MergeConflictException(doing + " in project '" + project.info.name() + "' conflicts in "
          + o.conflicts().size() + " file(s): " + summary(o.conflicts())
          + (pipelines.isEmpty() ? "" : "; pipelines: " + String.join(", ", pipelines))
          + ". Nothing was changed: the working copy is as it was. Resolve the conflicts on a branch and commit",
          o.conflicts(), pipelines);
    }
    MergeResult.Status status = switch (o.status()) {
      case UP_TO_DATE -> MergeResult.Status.UP_TO_DATE;
      case FAST_FORWARD -> MergeResult.Status.FAST_FORWARD;
      default -> MergeResult.Status.MERGED;
    };
    ProjectChanges changes = o.before().equals(o.after()) || o.after().isEmpty()
        ? new ProjectChanges(List.of(), List.of(), List.of(), List.of())
        : changes(wc, wc.diff(o.before(), o.after()), o.before(), Optional.of(o.after()));
    return new MergeResult(status, o.after().isEmpty() ? Optional.empty() : Optional.of(o.after()), changes);
  }

  @Override
  public void push() {
    act("git.push", "push", r -> r, (wc, call) -> {
      String remote = remoteOf(wc);
      String branch = wc.currentBranch();
      List<String> tags = wc.tags().stream().filter(t -> t.startsWith(branch + "/")).toList();
      wc.push(call.auth(remote), List.of(branch), tags);
      return "branch " + branch + (tags.isEmpty() ? "" : ", tags " + tags) + " to " + GitCredentialsImpl.safeUrl(remote);
    });
  }

  @Override
  public Release release() {
    return release(Optional.empty());
  }

  @Override
  public Release release(String version) {
    Checks.version("version", version);
    return release(Optional.of(version));
  }

  /** Releases the given version, or the next patch of the index's version. */
  private Release release(Optional<String> given) {
    return act("git.release", "release", r -> "tag " + r.tag() + " on " + r.commit().id(), (wc, call) -> {
      String remote = remoteOf(wc);
      String branch = wc.currentBranch();
      requireUnprotected(wc, "releases (a release commits the version)");
      requireClean(wc, "release");
      ProjectFiles files = project.files();
      String current = files.index().path("version").asText("");
      String version = given.orElseGet(() -> nextPatch(current));
      String tag = branch + "/" + version;
      if (wc.tags().contains(tag)) {
        throw new ConflictException("Project '" + project.info.name() + "' has a tag '" + tag + "' already;"
            + " release another version");
      }
      if (current.equals(version)) {
        throw new ConflictException(project.workingCopy().resolve(ProjectFiles.INDEX) + " says version " + version
            + " already; release a newer version");
      }
      files.setIndexValue(List.of("version"), TextNode.valueOf(version));
      Commit commit = wc.commit("Release " + version, author());
      wc.tag(tag, "Release " + version + " of " + project.info.name(), author());
      wc.push(call.auth(remote), List.of(branch), List.of(tag));
      return new Release(version, tag, commit);
    });
  }

  private String nextPatch(String current) {
    String version;
    try {
      version = Checks.version("version", current.replaceFirst("[-+].*$", ""));
    } catch (InvalidInputException e) {
      throw new InvalidInputException(project.workingCopy().resolve(ProjectFiles.INDEX) + ": version",
          "'" + current + "' is not a semantic version such as 0.0.1; give the release's version with"
              + " project.git().release(version)");
    }
    String[] parts = version.split("\\.");
    return parts[0] + "." + parts[1] + "." + (Long.parseLong(parts[2]) + 1);
  }

  // ---------------------------------------------------------------------------------- model changes

  /**
   * The files as model changes.
   *
   * @param from the revision the files changed from
   * @param to the revision they changed to; empty for the working files
   */
  private ProjectChanges changes(WorkingCopy wc, List<FileChange> files, String from, Optional<String> to) {
    List<FileChange> sorted = files.stream().sorted((a, b) -> a.path().compareTo(b.path())).toList();
    boolean indexChanged = sorted.stream().anyMatch(f -> f.path().equals(ProjectFiles.INDEX));
    ObjectNode before = indexChanged ? indexAt(wc, Optional.of(from)) : null;
    ObjectNode after = indexChanged ? indexAt(wc, to) : null;
    List<List<EntityChange>> out = new ArrayList<>();
    for (String group : GROUPS) {
      Map<String, List<FileChange.Change>> byName = new TreeMap<>();
      for (FileChange f : sorted) {
        entity(f.path(), group).ifPresent(n -> byName.computeIfAbsent(n, k -> new ArrayList<>()).add(f.change()));
      }
      Set<String> inBefore = new TreeSet<>();
      Set<String> inAfter = new TreeSet<>();
      if (indexChanged) {
        JsonNode b = before.path(group);
        JsonNode a = after.path(group);
        Set<String> keys = new TreeSet<>();
        b.fieldNames().forEachRemaining(keys::add);
        a.fieldNames().forEachRemaining(keys::add);
        for (String key : keys) {
          String name = key.startsWith(group + "/") ? key.substring(group.length() + 1) : key;
          if (b.has(key)) {
            inBefore.add(name);
          }
          if (a.has(key)) {
            inAfter.add(name);
          }
          if (!b.path(key).equals(a.path(key))) {
            byName.computeIfAbsent(name, k -> new ArrayList<>());
          }
        }
      }
      List<EntityChange> changes = new ArrayList<>();
      for (var e : byName.entrySet()) {
        String name = e.getKey();
        FileChange.Change change;
        if (indexChanged && !inBefore.contains(name) && inAfter.contains(name)) {
          change = FileChange.Change.ADDED;
        } else if (indexChanged && inBefore.contains(name) && !inAfter.contains(name)) {
          change = FileChange.Change.DELETED;
        } else if (!e.getValue().isEmpty() && e.getValue().stream().allMatch(c -> c == FileChange.Change.ADDED)
            && !inBefore.contains(name)) {
          change = FileChange.Change.ADDED;
        } else if (!e.getValue().isEmpty() && e.getValue().stream().allMatch(c -> c == FileChange.Change.DELETED)
            && !inAfter.contains(name)) {
          change = FileChange.Change.DELETED;
        } else {
          change = FileChange.Change.MODIFIED;
        }
        changes.add(new EntityChange(name, change));
      }
      out.add(changes);
    }
    return new ProjectChanges(sorted, out.get(0), out.get(1), out.get(2));
  }

  /** The entity a path belongs to in a group ({@code pipelines/<name>/...}). */
  private static Optional<String> entity(String path, String group) {
    String prefix = group + "/";
    if (!path.startsWith(prefix)) {
      return Optional.empty();
    }
    String rest = path.substring(prefix.length());
    int slash = rest.indexOf('/');
    return slash <= 0 ? Optional.empty() : Optional.of(rest.substring(0, slash));
  }

  /** The index at a revision, or of the working files; an empty map where there is none. */
  private ObjectNode indexAt(WorkingCopy wc, Optional<String> revision) {
    Optional<String> text;
    String where;
    if (revision.isPresent()) {
      where = revision.get() + ":" + ProjectFiles.INDEX;
      text = wc.read(revision.get(), ProjectFiles.INDEX).map(b -> new String(b, StandardCharsets.UTF_8));
    } else {
      Path file = project.workingCopy().resolve(ProjectFiles.INDEX);
      where = file.toString();
      try {
        text = Files.exists(file) ? Optional.of(Files.readString(file, StandardCharsets.UTF_8)) : Optional.empty();
      } catch (IOException e) {
        throw new io.prophecy.sdk.ProphecyException("Cannot read " + file + ": " + e.getMessage(), e);
      }
    }
    if (text.isEmpty() || text.get().isBlank()) {
      return ProjectFiles.newNode();
    }
    return ProjectFiles.parseIndexText(text.get(), where);
  }

  @Override
  public String toString() {
    return "ProjectGit[" + project.team.info.name() + "/" + project.info.name() + "]";
  }
}
