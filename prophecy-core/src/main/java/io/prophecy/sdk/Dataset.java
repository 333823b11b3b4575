package io.prophecy.sdk;

import io.prophecy.sdk.model.DatasetSpec;

/** A dataset of a project. */
public interface Dataset {
  /** The dataset as read from the project's files when the handle was made. */
  DatasetSpec spec();

  default String name() {
    return spec().name();
  }

  /**
   * The dataset as a fabric sees it: the physical dataset the project keeps for that fabric
   * ({@code datasets/<name>/<fabric name>/configs/dataset.json}) when there is one, else {@link #spec()}.
   * Runs on the fabric read and write this one.
   */
  DatasetSpec specFor(Fabric fabric);

  /**
   * Gives the dataset its own physical dataset on one fabric of the project's team: a format, path or
   * table, schema and options of its own there, written to
   * {@code datasets/<name>/<fabric name>/configs/dataset.json} with a {@code physicalDatasets} entry naming
   * the fabric, as Prophecy keeps them. Members may.
   *
   * @param spec the physical dataset; its name must be this dataset's
   * @return a handle whose {@link #specFor(Fabric)} gives the new physical dataset
   * @throws InvalidInputException when the spec names another dataset, or the fabric is named {@code default}
   */
  Dataset putForFabric(Fabric fabric, DatasetSpec spec);

  /**
   * Removes the dataset's files and its entry in the project's index. Members may.
   *
   * @throws ConflictException while a pipeline of the project reads or writes it
   */
  void delete();
}
