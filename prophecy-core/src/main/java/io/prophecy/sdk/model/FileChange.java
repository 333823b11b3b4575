package io.prophecy.sdk.model;

import java.util.Objects;

/**
 * One file that differs between two states of a working copy.
 *
 * @param path relative to the project's folder, with {@code /} separators
 */
public record FileChange(String path, Change change) {
  /** How a file or a project entity changed. */
  public enum Change {
    ADDED,
    MODIFIED,
    DELETED
  }

  public FileChange {
    Objects.requireNonNull(path, "path");
    Objects.requireNonNull(change, "change");
  }

  @Override
  public String toString() {
    return change + " " + path;
  }
}
