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
   * Removes the dataset's files and its entry in the project's index. Members may.
   *
   * @throws ConflictException while a pipeline of the project reads or writes it
   */
  void delete();
}
