package io.prophecy.sdk.spi;

import io.prophecy.sdk.model.Commit;
import io.prophecy.sdk.model.FileChange;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * One open working copy of a {@link CodeStore}. Not thread-safe: the SDK opens one per operation and
 * serialises operations that write the working copy. Paths are relative to {@link #root()}, with
 * {@code /} separators. Revisions are branch names, tag names or commit ids.
 */
public interface WorkingCopy extends AutoCloseable {
  /** The top folder of the working copy. */
  Path root();

  /** The branch checked out. */
  String currentBranch();

  /** The local branches, sorted. */
  List<String> branches();

  /**
   * Makes a branch at a revision, without checking it out.
   *
   * @param startPoint a revision; empty for the commit checked out
   * @throws io.prophecy.sdk.ConflictException when the branch exists
   * @throws io.prophecy.sdk.InvalidInputException when the name is not a valid branch name or the start
   *     point does not exist
   */
  void createBranch(String name, Optional<String> startPoint);

  /**
   * Checks out a local branch; when there is none of that name but the remote has one, makes a local
   * branch tracking it.
   *
   * @throws io.prophecy.sdk.NotFoundException when neither exists
   * @throws io.prophecy.sdk.ConflictException naming the files when uncommitted changes would be lost
   */
  void checkout(String branch);

  /** The uncommitted changes: the working files (untracked included, ignored ones not) against the last commit. */
  List<FileChange> status();

  /**
   * Commits every uncommitted change (new, changed and deleted files).
   *
   * @throws io.prophecy.sdk.ConflictException when there is nothing to commit
   */
  Commit commit(String message, CodeAuthor author);

  /** The commit checked out; empty in a repository without commits. */
  Optional<Commit> head();

  /** The newest commits of the branch checked out, newest first. */
  List<Commit> log(int limit);

  /** The files that differ from one revision to another; an empty {@code fromRevision} is the empty tree. */
  List<FileChange> diff(String fromRevision, String toRevision);

  /** A file's content at a revision; empty when the revision has no such file. */
  Optional<byte[]> read(String revision, String path);

  /** The URL of the remote {@code origin}, as configured (never with credentials). */
  Optional<String> remoteUrl();

  /** Sets the URL of the remote {@code origin}. */
  void setRemoteUrl(String url);

  /**
   * Fetches from {@code origin} and merges its copy of the current branch. Files changed on both sides
   * go to the resolver; a conflict it does not resolve leaves the working copy as it was before the call.
   *
   * @throws io.prophecy.sdk.ConflictException when there are uncommitted changes
   */
  MergeOutcome pull(RemoteAuth auth, CodeAuthor author, MergeResolver resolver);

  /**
   * Merges a local branch into the current one, as {@link #pull} merges. A conflict the resolver does
   * not resolve leaves the working copy as it was.
   *
   * @throws io.prophecy.sdk.ConflictException when there are uncommitted changes
   */
  MergeOutcome merge(String branch, CodeAuthor author, MergeResolver resolver);

  /**
   * Tags the commit checked out with an annotated tag.
   *
   * @throws io.prophecy.sdk.ConflictException when the tag exists
   */
  void tag(String name, String message, CodeAuthor author);

  /** The local tags, sorted. */
  List<String> tags();

  /**
   * Pushes branches and tags to {@code origin}, each to the same name. Pushing what the remote has
   * already is no error, so a push that failed on the way may be retried as it is.
   *
   * @param branches local branch names
   * @param tags local tag names
   * @throws io.prophecy.sdk.GitPushRejectedException when the remote has commits the local branch lacks
   * @throws io.prophecy.sdk.GitAuthenticationException when the host refuses the credentials
   */
  void push(RemoteAuth auth, List<String> branches, List<String> tags);

  @Override
  void close();
}
