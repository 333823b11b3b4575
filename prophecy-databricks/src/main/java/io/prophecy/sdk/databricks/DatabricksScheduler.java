package io.prophecy.sdk.databricks;

import io.prophecy.sdk.spi.JobScheduler;

/**
 * The workspace's Jobs (API 2.1): core's {@link JobScheduler}, plus the deploy of a project's own
 * {@code databricks-job.json}. Reached from {@link DatabricksConnection#scheduler()}.
 *
 * <p>A deploy works as the Prophecy build tool's: the job's name is looked up ({@code jobs/list?name=},
 * every page); no job of that name is created ({@code jobs/create}), one is reset to the new settings
 * ({@code jobs/reset}), and two or more is an error naming all their ids, with nothing changed. Then the
 * job's access control list, when it has one, is applied ({@code PATCH /api/2.0/permissions/jobs/{id}}).
 *
 * <pre>{@code
 * DatabricksScheduler jobs = connection.scheduler();
 * String jobId = jobs.deploy(DatabricksJobJson.read(project.resolve("jobs/nightly/code/databricks-job.json")),
 *     Placeholders.none().withProjectId("4711").withReleaseVersion("0.3.1"));
 * String runId = jobs.runNow(jobId, UUID.randomUUID().toString());
 * JobRunStatus status = jobs.runStatus(runId);
 * }</pre>
 */
public interface DatabricksScheduler extends JobScheduler {
  /**
   * Deploys a job file as it is, its placeholders replaced by the values given.
   *
   * @return the job id
   * @throws io.prophecy.sdk.InvalidInputException naming the file when a placeholder is left without a value
   * @throws io.prophecy.sdk.ConflictException when the workspace has two or more jobs of the name
   */
  String deploy(DatabricksJobJson job, Placeholders values);
}
