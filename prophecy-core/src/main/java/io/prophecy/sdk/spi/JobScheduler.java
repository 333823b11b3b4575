package io.prophecy.sdk.spi;

import io.prophecy.sdk.model.JobSpec;
import java.util.List;

/**
 * A fabric's own scheduler (Databricks Jobs, Snowflake tasks, or the SDK's in-process scheduler).
 * Every method may throw {@link io.prophecy.sdk.ConnectorException}.
 */
public interface JobScheduler {
  /** Creates the job, or updates the job of the same name; returns the scheduler's job id. */
  String deploy(JobSpec job, JobArtifacts artifacts);

  void pause(String jobId);

  void resume(String jobId);

  /**
   * Starts a run now.
   *
   * @param idempotencyToken makes a retried call start no second run
   * @return the run id
   */
  String runNow(String jobId, String idempotencyToken);

  JobRunStatus runStatus(String runId);

  void cancelRun(String runId);

  void delete(String jobId);

  /** The scheduler's jobs with their ids and names. */
  List<DeployedJob> list();

  /** A job as the scheduler lists it. */
  record DeployedJob(String id, String name) {}
}
