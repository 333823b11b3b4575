package io.prophecy.sdk.spi;

import java.util.List;
import java.util.Objects;

/**
 * What a merge or pull did to the working copy.
 *
 * @param status what happened
 * @param before the commit checked out before, empty text when the branch had none
 * @param after the commit checked out now; equal to {@code before} when nothing changed or on conflicts
 * @param conflicts the paths that conflicted, relative to the working copy, sorted; the working copy has
 *     been put back to {@code before} and holds no half-made merge
 */
public record MergeOutcome(Status status, String before, String after, List<String> conflicts) {
  /** What a merge did. */
  public enum Status {
    /** The other side had nothing new. */
    UP_TO_DATE,
    /** The branch moved forward to the other side's commit. */
    FAST_FORWARD,
    /** A merge commit joins both sides. */
    MERGED,
    /** Files conflicted; nothing changed. */
    CONFLICTING
  }

  public MergeOutcome {
    Objects.requireNonNull(status, "status");
    Objects.requireNonNull(before, "before");
    Objects.requireNonNull(after, "after");
    conflicts = List.copyOf(conflicts);
  }
}
