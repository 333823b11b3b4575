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

  Project get(String name);

  /** The team's projects, by name. */
  List<Project> list();
}
