package io.prophecy.sdk.model;

import java.util.Objects;
import java.util.Optional;

/**
 * What a pull or merge brought into the current branch. Conflicts are not a result: they are a
 * {@code MergeConflictException}, and the working copy stays as it was.
 *
 * @param status {@code UP_TO_DATE}, {@code FAST_FORWARD} or {@code MERGED}
 * @param head the commit checked out afterwards; empty in a repository without commits
 * @param changes what changed in the working copy, as files and as pipelines, datasets and jobs
 */
public record MergeResult(Status status, Optional<String> head, ProjectChanges changes) {
  /** What happened. */
  public enum Status {
    UP_TO_DATE,
    FAST_FORWARD,
    MERGED
  }

  public MergeResult {
    Objects.requireNonNull(status, "status");
    Objects.requireNonNull(head, "head");
    Objects.requireNonNull(changes, "changes");
  }
}
