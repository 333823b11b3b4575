package io.prophecy.sdk.spi;

import java.util.Optional;

/**
 * Resolves a file that a merge found changed on both sides, from the three versions of it. The SDK
 * resolves {@code pbt_project.yml} entry by entry (two branches that each added a pipeline do not
 * conflict); a file it cannot resolve stays a conflict.
 */
@FunctionalInterface
public interface MergeResolver {
  /** Resolves nothing: every conflict stays. */
  MergeResolver NONE = (path, base, ours, theirs) -> Optional.empty();

  /**
   * The merged content of a file, or empty when the changes clash.
   *
   * @param path relative to the working copy
   * @param base the file at the common ancestor; empty when it had none
   * @param ours the file on the branch checked out; empty when deleted there
   * @param theirs the file on the branch merged in; empty when deleted there
   */
  Optional<byte[]> resolve(String path, Optional<byte[]> base, Optional<byte[]> ours, Optional<byte[]> theirs);
}
