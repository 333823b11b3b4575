package io.prophecy.sdk;

import io.prophecy.sdk.model.ProjectInfo;
import io.prophecy.sdk.model.RunRecord;
import java.nio.file.Path;
import java.util.List;

/** A project of a team, kept in a Git working copy. */
public interface Project {
  ProjectInfo info();

  default String name() {
    return info().name();
  }

  /** The folder of the project's Git working copy. */
  default Path workingCopy() {
    return info().spec().workingCopy().orElseThrow();
  }

  /** The project's pipelines. */
  Pipelines pipelines();

  /** The project's datasets. */
  Datasets datasets();

  /** The project's jobs. */
  Jobs jobs();

  /**
   * The project's Git workflow: branches, commit, status, diff, pull, merge, push, release. Needs a
   * code store module ({@code prophecy-git}) on the class path.
   */
  ProjectGit git();

  /**
   * The newest runs of the project's pipelines, newest first, with their per-gem metrics.
   *
   * @param limit at most this many, 1 to 10,000
   */
  List<RunRecord> runs(int limit);

  /**
   * Removes the project from the registry. Admins only. The working copy stays on disk: deleting a
   * project never deletes code.
   */
  void delete();
}
