package io.prophecy.sdk;

import io.prophecy.sdk.model.JobSpec;
import java.util.List;

/** A project's jobs, kept in its index. Members of the team create and delete them. */
public interface Jobs {
  /**
   * Adds a job. Its pipelines must be pipelines of the project and its fabric a fabric of the team.
   *
   * @throws InvalidInputException naming the pipeline or fabric that does not exist
   * @throws ConflictException when the project has a job of that name
   */
  Job create(JobSpec spec);

  Job get(String name);

  /** The jobs, by name. */
  List<Job> list();
}
