package io.prophecy.sdk;

import io.prophecy.sdk.model.Commit;
import io.prophecy.sdk.model.MergeResult;
import io.prophecy.sdk.model.ProjectChanges;
import io.prophecy.sdk.model.Release;
import java.util.List;
import java.util.Optional;

/**
 * The Git workflow of one project, as the acting user: branches, commits authored by the user, status
 * and diffs of the project model, pull, merge, push and release. Members of the project's team may use
 * all of it; every call that changes the repository or talks to the remote is audited
 * ({@code git.commit}, {@code git.push}, ...), and every use of the user's Git token is audited as
 * {@code credential.use}. Tokens come from the acting user's own {@link GitCredentials}, per host.
 *
 * <p>Needs a code store module on the class path ({@code prophecy-git}); without one each call is a
 * {@link ConnectorException} saying which jar to add.
 *
 * <pre>{@code
 * ProjectGit git = shop.git();
 * git.createBranch("daily-revenue");
 * git.checkout("daily-revenue");
 * // ... edit pipelines and datasets ...
 * List<ProjectChanges.EntityChange> changed = git.status().pipelines();   // [ADDED daily_revenue]
 * git.commit("Daily revenue by country");
 * git.push();
 * }</pre>
 */
public interface ProjectGit {
  /** The branch checked out. */
  String currentBranch();

  /** The project's default branch ({@code main} unless the project says otherwise). */
  String defaultBranch();

  /** The local branches, sorted. */
  List<String> branches();

  /** The local tags, sorted; releases are tagged {@code <branch>/<version>}. */
  List<String> tags();

  /** Makes a branch at the commit checked out, without checking it out. */
  default void createBranch(String name) {
    createBranch(name, Optional.empty());
  }

  /**
   * Makes a branch at a revision (a branch, tag or commit id), without checking it out.
   *
   * @throws ConflictException when the branch exists
   * @throws InvalidInputException when the name is no valid branch name or the revision does not exist
   */
  void createBranch(String name, Optional<String> from);

  /**
   * Checks out a branch: a local one, or the remote's of that name (made local).
   *
   * @throws ConflictException naming the files when uncommitted changes would be overwritten
   * @throws NotFoundException when there is no such branch
   */
  void checkout(String branch);

  /** The uncommitted changes, as files and as pipelines, datasets and jobs. */
  ProjectChanges status();

  /** What differs from one revision (a branch, tag or commit id) to another. */
  ProjectChanges diff(String from, String to);

  /**
   * Commits every uncommitted change with the acting user as author and committer.
   *
   * @throws ConflictException when there is nothing to commit, or the branch is the default branch of
   *     a project that forbids commits there ({@code ProjectSpec.protectDefaultBranch})
   */
  Commit commit(String message);

  /** The newest commits of the branch checked out, newest first; {@code limit} 1 to 10,000. */
  List<Commit> log(int limit);

  /**
   * Fetches from the remote and merges its copy of the current branch.
   *
   * @throws MergeConflictException naming each conflicting file and pipeline; the working copy is left
   *     as it was
   * @throws ConflictException when there are uncommitted changes (commit them first)
   * @throws GitAuthenticationException when the host refuses the user's token
   */
  MergeResult pull();

  /**
   * Merges another local branch into the current one.
   *
   * @throws MergeConflictException naming each conflicting file and pipeline; nothing changed
   * @throws ConflictException when there are uncommitted changes, or the current branch is a protected
   *     default branch
   */
  MergeResult merge(String branch);

  /**
   * Pushes the current branch and its release tags ({@code <branch>/...}) to the remote. Safe to call
   * again after a failure on the way.
   *
   * @throws GitPushRejectedException when the remote moved ahead: pull first; no local commit is lost
   * @throws GitAuthenticationException when the host refuses the user's token
   */
  void push();

  /**
   * Releases the current branch: writes the version into {@code pbt_project.yml}, commits it, tags the
   * commit {@code <branch>/<version>} and pushes both. When the push fails the commit and tag stay
   * local, and {@link #push()} sends them.
   *
   * @param version a semantic version such as {@code 1.2.0}, different from the current one
   * @throws ConflictException when there are uncommitted changes or the tag exists
   */
  Release release(String version);

  /** Releases the next patch version: {@code 0.0.1} becomes {@code 0.0.2}. */
  Release release();

  /** The URL of the remote the working copy tracks, never with credentials. */
  Optional<String> remote();
}
