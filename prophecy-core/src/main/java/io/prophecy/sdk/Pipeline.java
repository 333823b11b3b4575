package io.prophecy.sdk;

import io.prophecy.sdk.model.PipelineInfo;

/** A pipeline of a project. */
public interface Pipeline {
  /** What the project's index says of the pipeline when the handle was made. */
  PipelineInfo info();

  default String name() {
    return info().name();
  }
}
