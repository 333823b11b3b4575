/**
 * The Databricks fabric, kind {@code databricks}: a workspace's clusters and interactive runs on an
 * all-purpose cluster through the Command Execution API 1.2.
 *
 * <p>Adding this module's jar to the class path is all a host application does to gain the kind: the
 * SDK finds {@link io.prophecy.sdk.databricks.DatabricksFabricProvider} through
 * {@link java.util.ServiceLoader}. The connection it returns is a
 * {@link io.prophecy.sdk.databricks.DatabricksConnection}, which reaches the
 * {@link io.prophecy.sdk.databricks.Clusters} and the workspace's Jobs API 2.1 as a
 * {@link io.prophecy.sdk.databricks.DatabricksScheduler}. A job's {@code databricks-job.json} is read,
 * generated and written by {@link io.prophecy.sdk.databricks.DatabricksJobJson}; the fabric's job-size
 * presets are {@link io.prophecy.sdk.databricks.JobSizes}. Everything under {@code internal} is not API.
 */
package io.prophecy.sdk.databricks;
