package io.prophecy.sdk;

import io.prophecy.sdk.model.DatasetSpec;
import java.util.List;

/**
 * A project's datasets, kept in its working copy as Prophecy keeps them
 * ({@code datasets/<name>/default/configs/dataset.json} and an entry in {@code pbt_project.yml}).
 * Members of the team create and delete them.
 */
public interface Datasets {
  /**
   * Adds a dataset to the project.
   *
   * @throws ConflictException when the project has a dataset of that name
   */
  Dataset create(DatasetSpec spec);

  Dataset get(String name);

  /** The datasets, by name. */
  List<Dataset> list();
}
