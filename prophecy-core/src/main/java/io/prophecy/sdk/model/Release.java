package io.prophecy.sdk.model;

import java.util.Objects;

/**
 * A release of a project: the version written into {@code pbt_project.yml}, the commit that wrote it
 * and the tag {@code <branch>/<version>} on it, both pushed.
 */
public record Release(String version, String tag, Commit commit) {
  public Release {
    Objects.requireNonNull(version, "version");
    Objects.requireNonNull(tag, "tag");
    Objects.requireNonNull(commit, "commit");
  }
}
