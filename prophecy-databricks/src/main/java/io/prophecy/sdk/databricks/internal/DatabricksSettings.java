package io.prophecy.sdk.databricks.internal;

import static io.prophecy.sdk.databricks.DatabricksFabricProvider.CLUSTER_ID;
import static io.prophecy.sdk.databricks.DatabricksFabricProvider.CLUSTER_START_TIMEOUT_SECONDS;
import static io.prophecy.sdk.databricks.DatabricksFabricProvider.CONNECT_TIMEOUT_SECONDS;
import static io.prophecy.sdk.databricks.DatabricksFabricProvider.JOB_SIZES;
import static io.prophecy.sdk.databricks.DatabricksFabricProvider.MAX_RETRIES;
import static io.prophecy.sdk.databricks.DatabricksFabricProvider.MAX_RETRY_WAIT_SECONDS;
import static io.prophecy.sdk.databricks.DatabricksFabricProvider.READ_TIMEOUT_SECONDS;
import static io.prophecy.sdk.databricks.DatabricksFabricProvider.WORKSPACE_URL;

import io.prophecy.sdk.InvalidInputException;
import io.prophecy.sdk.databricks.JobSizes;
import io.prophecy.sdk.spi.FabricConfig;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import okhttp3.HttpUrl;

/**
 * A databricks fabric's settings, parsed.
 *
 * @param workspace the workspace URL, without a trailing path
 * @param clusterId the cluster sessions run on, when the fabric names one
 * @param connectTimeout the TCP connect timeout
 * @param readTimeout the wait for the answer to one call
 * @param clusterStartTimeout the wait for a cluster to run and a context to be ready
 * @param maxRetries retries of a call that is safe to repeat
 * @param maxRetryWait the longest wait before a retry
 * @param jobSizes the job-size presets (fabric setting {@code jobSizes})
 */
public record DatabricksSettings(HttpUrl workspace, Optional<String> clusterId, Duration connectTimeout,
    Duration readTimeout, Duration clusterStartTimeout, int maxRetries, Duration maxRetryWait, JobSizes jobSizes) {
  static final String FIELD = "fabric.settings.";

  public DatabricksSettings {
    Objects.requireNonNull(workspace, "workspace");
    Objects.requireNonNull(clusterId, "clusterId");
    Objects.requireNonNull(jobSizes, "jobSizes");
  }

  /** Defaults for everything but the workspace, as the descriptor gives them. */
  public static DatabricksSettings defaults(HttpUrl workspace) {
    return new DatabricksSettings(workspace, Optional.empty(), Duration.ofSeconds(10), Duration.ofSeconds(60),
        Duration.ofSeconds(1200), 3, Duration.ofSeconds(60), JobSizes.none());
  }

  /**
   * Parses a fabric's settings.
   *
   * @throws InvalidInputException naming the setting that is missing or malformed
   */
  public static DatabricksSettings from(FabricConfig config) {
    String url = config.setting(WORKSPACE_URL).map(String::trim).filter(s -> !s.isEmpty())
        .orElseThrow(() -> new InvalidInputException(FIELD + WORKSPACE_URL,
            "a Databricks fabric needs its workspace URL, such as https://dbc-a1b2c3d4-e5f6.cloud.databricks.com"));
    HttpUrl workspace = HttpUrl.parse(url);
    if (workspace == null) {
      throw new InvalidInputException(FIELD + WORKSPACE_URL, "'" + url + "' is not an http or https URL; give the"
          + " workspace URL, such as https://dbc-a1b2c3d4-e5f6.cloud.databricks.com");
    }
    if (workspace.query() != null || !(workspace.encodedPath().equals("/") || workspace.encodedPath().isEmpty())) {
      throw new InvalidInputException(FIELD + WORKSPACE_URL, "'" + url + "' has a path or query; give the workspace"
          + " URL alone, such as https://" + workspace.host());
    }
    Optional<String> cluster = config.setting(CLUSTER_ID).map(String::trim).filter(s -> !s.isEmpty());
    return new DatabricksSettings(workspace, cluster,
        Duration.ofSeconds(positive(config, CONNECT_TIMEOUT_SECONDS, 10)),
        Duration.ofSeconds(positive(config, READ_TIMEOUT_SECONDS, 60)),
        Duration.ofSeconds(positive(config, CLUSTER_START_TIMEOUT_SECONDS, 1200)),
        (int) atLeastZero(config, MAX_RETRIES, 3),
        Duration.ofSeconds(atLeastZero(config, MAX_RETRY_WAIT_SECONDS, 60)),
        JobSizes.parse(config.setting(JOB_SIZES).orElse("")));
  }

  public DatabricksSettings withClusterId(String id) {
    return new DatabricksSettings(workspace, Optional.of(id), connectTimeout, readTimeout, clusterStartTimeout,
        maxRetries, maxRetryWait, jobSizes);
  }

  public DatabricksSettings withReadTimeout(Duration timeout) {
    return new DatabricksSettings(workspace, clusterId, connectTimeout, timeout, clusterStartTimeout, maxRetries,
        maxRetryWait, jobSizes);
  }

  public DatabricksSettings withClusterStartTimeout(Duration timeout) {
    return new DatabricksSettings(workspace, clusterId, connectTimeout, readTimeout, timeout, maxRetries,
        maxRetryWait, jobSizes);
  }

  public DatabricksSettings withRetries(int retries, Duration maxWait) {
    return new DatabricksSettings(workspace, clusterId, connectTimeout, readTimeout, clusterStartTimeout, retries,
        maxWait, jobSizes);
  }

  public DatabricksSettings withJobSizes(JobSizes sizes) {
    return new DatabricksSettings(workspace, clusterId, connectTimeout, readTimeout, clusterStartTimeout, maxRetries,
        maxRetryWait, sizes);
  }

  private static long positive(FabricConfig config, String name, long fallback) {
    long v = integer(config, name, fallback);
    if (v <= 0) {
      throw new InvalidInputException(FIELD + name, "is " + v + "; give a number of seconds above 0");
    }
    return v;
  }

  private static long atLeastZero(FabricConfig config, String name, long fallback) {
    long v = integer(config, name, fallback);
    if (v < 0) {
      throw new InvalidInputException(FIELD + name, "is " + v + "; give 0 or more");
    }
    return v;
  }

  private static long integer(FabricConfig config, String name, long fallback) {
    Optional<String> text = config.setting(name).map(String::trim).filter(s -> !s.isEmpty());
    if (text.isEmpty()) {
      return fallback;
    }
    try {
      return Long.parseLong(text.get());
    } catch (NumberFormatException e) {
      throw new InvalidInputException(FIELD + name, "'" + text.get() + "' is not a whole number");
    }
  }
}
