package io.prophecy.sdk;

import io.prophecy.sdk.model.JobInfo;

/** A job of a project. */
public interface Job {
  JobInfo info();

  default String name() {
    return info().name();
  }

  /** Removes the job from the project's index. Members may. */
  void delete();
}
