package io.prophecy.sdk.databricks;

import io.prophecy.sdk.databricks.internal.DatabricksAuth;
import io.prophecy.sdk.databricks.internal.DatabricksFabricConnection;
import io.prophecy.sdk.databricks.internal.DatabricksSettings;
import io.prophecy.sdk.databricks.internal.Platform;
import io.prophecy.sdk.model.Credentials;
import io.prophecy.sdk.spi.Capability;
import io.prophecy.sdk.spi.ConnectorContext;
import io.prophecy.sdk.spi.FabricConfig;
import io.prophecy.sdk.spi.FabricDescriptor;
import io.prophecy.sdk.spi.FabricProvider;
import io.prophecy.sdk.spi.Setting;
import io.prophecy.sdk.spi.SettingType;

/**
 * The fabric kind {@value #KIND}: one Databricks workspace. A fabric names the workspace URL and,
 * optionally, the all-purpose cluster sessions run on; each user stores a personal access token.
 *
 * <p>Sessions run code interactively through the Command Execution API 1.2: opening one starts the
 * cluster if it is terminated, waits until it is RUNNING and creates an execution context for the
 * session's language; closing it destroys the context, as do a failed open, an interrupted open and the
 * JVM's shutdown for contexts still open then.
 *
 * <pre>{@code
 * Fabric dbx = team.fabrics().create(FabricSpec.builder().kind("databricks").name("dev")
 *     .putSettings("workspaceUrl", "https://adb-1234567890123456.7.azuredatabricks.net")
 *     .putSettings("clusterId", "0923-164208-meows279").build());
 * dbx.credentials().set(Credentials.ofSecret("token", Secret.of(System.getenv("DATABRICKS_TOKEN"))));
 * try (DatabricksConnection c = (DatabricksConnection) dbx.connect();
 *     ExecutionSession s = c.openSession(SessionOptions.of(CodeLanguage.sql("spark")))) {
 *   ExecutionResult r = s.submit(new CodeUnit("probe", CodeLanguage.sql("spark"), "SELECT 1")).await(Duration.ofMinutes(1));
 * }
 * }</pre>
 *
 * <p>Found through {@link java.util.ServiceLoader}; a host application never creates it.
 */
public final class DatabricksFabricProvider implements FabricProvider {
  /** The fabric kind. */
  public static final String KIND = "databricks";
  /** Setting: the workspace URL, {@code https://<instance>}. */
  public static final String WORKSPACE_URL = "workspaceUrl";
  /** Setting (and session conf): the id of the all-purpose cluster sessions run on. */
  public static final String CLUSTER_ID = "clusterId";
  /** Setting: seconds to wait for a TCP connection to the workspace. */
  public static final String CONNECT_TIMEOUT_SECONDS = "connectTimeoutSeconds";
  /** Setting: seconds to wait for an answer to one HTTP call. */
  public static final String READ_TIMEOUT_SECONDS = "readTimeoutSeconds";
  /** Setting: seconds to wait for a cluster to reach RUNNING and a context to be ready. */
  public static final String CLUSTER_START_TIMEOUT_SECONDS = "clusterStartTimeoutSeconds";
  /** Setting: how many times a call that is safe to repeat is retried after throttling or a lost connection. */
  public static final String MAX_RETRIES = "maxRetries";
  /** Setting: the longest wait before a retry that the SDK accepts, in seconds. */
  public static final String MAX_RETRY_WAIT_SECONDS = "maxRetryWaitSeconds";
  /** Setting: job-size presets, a JSON object from preset name to cluster fields (see {@link JobSizes}). */
  public static final String JOB_SIZES = "jobSizes";
  /** Credential field: a personal access token. */
  public static final String TOKEN = "token";

  private static final FabricDescriptor DESCRIPTOR = FabricDescriptor.builder()
      .kind(KIND)
      .displayName("Databricks")
      .addSettings(Setting.required(WORKSPACE_URL, SettingType.URL,
          "The workspace URL, such as https://adb-1234567890123456.7.azuredatabricks.net or"
              + " https://dbc-a1b2c3d4-e5f6.cloud.databricks.com"))
      .addSettings(Setting.optional(CLUSTER_ID, SettingType.STRING, null,
          "The id of the all-purpose cluster interactive sessions run on, such as 0923-164208-meows279"))
      .addSettings(Setting.optional(CONNECT_TIMEOUT_SECONDS, SettingType.INTEGER, "10",
          "Seconds to wait for a connection to the workspace"))
      .addSettings(Setting.optional(READ_TIMEOUT_SECONDS, SettingType.INTEGER, "60",
          "Seconds to wait for the answer to one call"))
      .addSettings(Setting.optional(CLUSTER_START_TIMEOUT_SECONDS, SettingType.INTEGER, "1200",
          "Seconds to wait for a cluster to reach RUNNING and an execution context to be ready"))
      .addSettings(Setting.optional(MAX_RETRIES, SettingType.INTEGER, "3",
          "Retries of a call that is safe to repeat after throttling (429, 503), a lost connection or a"
              + " cluster that is not ready"))
      .addSettings(Setting.optional(MAX_RETRY_WAIT_SECONDS, SettingType.INTEGER, "60",
          "The longest wait before a retry; a Retry-After asking for more is not retried"))
      .addSettings(Setting.optional(JOB_SIZES, SettingType.STRING, null,
          "Job-size presets: a JSON object from preset name to cluster fields (spark_version, node_type_id,"
              + " num_workers or autoscale, spark_conf ...), used for the clusters of jobs and by"
              + " clusters().createFromPreset"))
      .addCredentials(Setting.secret(TOKEN, "A Databricks personal access token (dapi...)"))
      .addCapabilities(Capability.INTERACTIVE_SQL, Capability.INTERACTIVE_PYTHON, Capability.INTERACTIVE_SCALA,
          Capability.CLUSTERS, Capability.JOBS)
      .build();

  /** Needed by {@link java.util.ServiceLoader}. */
  public DatabricksFabricProvider() {}

  @Override
  public String kind() {
    return KIND;
  }

  /** The settings above and one credential field, the personal access token. */
  @Override
  public FabricDescriptor describe() {
    return DESCRIPTOR;
  }

  /**
   * Makes the connection's HTTP client; no call reaches the workspace until a session or a clusters call.
   *
   * @throws io.prophecy.sdk.InvalidInputException when a setting is malformed or the token is missing
   */
  @Override
  public DatabricksConnection connect(FabricConfig config, Credentials credentials, ConnectorContext context) {
    DatabricksSettings settings = DatabricksSettings.from(config);
    DatabricksAuth auth = DatabricksAuth.from(credentials);
    return DatabricksFabricConnection.open(settings, auth, context, Platform.system());
  }
}
