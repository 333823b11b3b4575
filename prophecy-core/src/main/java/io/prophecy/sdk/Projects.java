package io.prophecy.sdk;

import io.prophecy.sdk.model.ProjectSpec;
import java.util.List;

/** A team's projects. Members list, create and edit them; admins delete them. */
public interface Projects {
  /** Creates a project with default settings: Python, working copy under the SDK home. */
  default Project create(String name) {
    return create(ProjectSpec.of(name));
  }

  /**
   * Creates a project and its working-copy folder.
   *
   * @throws ConflictException when the team has a project of that name, or the working-copy folder
   *     exists and is not empty
   */
  Project create(ProjectSpec spec);

  /**
   * Registers an existing Prophecy project folder (one with a {@code pbt_project.yml}, such as a
   * checked-out repository) as a project of the team, without changing any of its files.
   *
   * @throws InvalidInputException when the folder holds no readable {@code pbt_project.yml}
   * @throws ConflictException when the team has a project of that name
   */
  Project open(String name, java.nio.file.Path folder);

  /**
   * Clones a remote Git repository holding a Prophecy project into a new working copy (under the SDK
   * home) and registers it. The acting user's token for the remote's host (see
   * {@link GitCredentials}) authenticates the clone.
   *
   * @throws InvalidInputException when the repository holds no readable {@code pbt_project.yml}; the
   *     clone is removed
   * @throws GitAuthenticationException when the host refuses the user's token
   */
  default Project clone(String name, String remoteUrl) {
    return clone(ProjectSpec.builder().name(name).gitRemote(remoteUrl).build());
  }

  /**
   * As {@link #clone(String, String)}, from {@code spec.gitRemote()}, into {@code spec.workingCopy()}
   * when given (an empty or missing folder). The language and description come from the cloned
   * {@code pbt_project.yml}; the default branch is the remote's.
   */
  Project clone(ProjectSpec spec);

  Project get(String name);

  /** The team's projects, by name. */
  List<Project> list();
}
