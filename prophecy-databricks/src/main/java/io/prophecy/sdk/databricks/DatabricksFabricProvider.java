package io.prophecy.sdk.databricks;

import io.prophecy.sdk.databricks.internal.DatabricksAuth;
import io.prophecy.sdk.databricks.internal.DatabricksFabricConnection;
import io.prophecy.sdk.databricks.internal.DatabricksSettings;
import io.prophecy.sdk.databricks.internal.Platform;
import io.prophecy.sdk.model.Credentials;
import io.prophecy.sdk.model.JobSpec;
import io.prophecy.sdk.spi.Capability;
import io.prophecy.sdk.spi.ConnectorContext;
import io.prophecy.sdk.spi.FabricConfig;
import io.prophecy.sdk.spi.FabricDescriptor;
import io.prophecy.sdk.spi.FabricProvider;
import io.prophecy.sdk.spi.Setting;
import io.prophecy.sdk.spi.SettingType;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * The fabric kind {@value #KIND}: one Databricks workspace. A fabric names the workspace URL and,
 * optionally, the all-purpose cluster sessions run on; each user stores a personal access token, an
 * OAuth machine-to-machine secret, or Azure AD credentials (with which the SDK generates and rotates a
 * personal access token, kept in the vault).
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
  /** Setting: the Azure AD (Entra ID) authority that issues tokens for Azure AD credentials. */
  public static final String AZURE_AD_AUTHORITY = "azureAdAuthority";
  /** Setting: the lifetime, in seconds, of the personal access tokens the SDK generates with Azure AD. */
  public static final String GENERATED_TOKEN_LIFETIME_SECONDS = "generatedTokenLifetimeSeconds";
  /** Credential field: a personal access token. */
  public static final String TOKEN = "token";
  /** Credential field: the client id of a Databricks service principal's OAuth secret (machine to machine). */
  public static final String CLIENT_ID = "clientId";
  /** Credential field (secret): that OAuth secret. */
  public static final String CLIENT_SECRET = "clientSecret";
  /** Credential field: the Azure AD tenant (directory) id of a service principal. */
  public static final String AZURE_TENANT_ID = "azureTenantId";
  /** Credential field: the Azure AD application (client) id of a service principal. */
  public static final String AZURE_CLIENT_ID = "azureClientId";
  /** Credential field (secret): the Azure AD client secret of that service principal. */
  public static final String AZURE_CLIENT_SECRET = "azureClientSecret";
  /** Credential field (secret): a user's own Azure AD access token for Azure Databricks. */
  public static final String AZURE_AD_TOKEN = "azureAdToken";
  /** Credential field: when that token expires, an ISO-8601 instant such as 2026-12-01T13:00:00Z. */
  public static final String AZURE_AD_TOKEN_EXPIRES_AT = "azureAdTokenExpiresAt";
  /** Credential field (secret, written by the SDK): the personal access token generated with Azure AD. */
  public static final String GENERATED_TOKEN = "generatedToken";
  /** Credential field (written by the SDK): its token id. */
  public static final String GENERATED_TOKEN_ID = "generatedTokenId";
  /** Credential field (written by the SDK): when it was created, an ISO-8601 instant. */
  public static final String GENERATED_TOKEN_CREATED_AT = "generatedTokenCreatedAt";
  /** Credential field (written by the SDK): when it expires, an ISO-8601 instant. */
  public static final String GENERATED_TOKEN_EXPIRES_AT = "generatedTokenExpiresAt";

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
      .addSettings(Setting.optional(AZURE_AD_AUTHORITY, SettingType.URL, "https://login.microsoftonline.com",
          "The Azure AD (Entra ID) authority for Azure AD credentials; another cloud's, such as"
              + " https://login.microsoftonline.us, or a test server"))
      .addSettings(Setting.optional(GENERATED_TOKEN_LIFETIME_SECONDS, SettingType.INTEGER, "86400",
          "Lifetime of the personal access tokens generated with Azure AD credentials; they are rotated when a"
              + " quarter of it is left"))
      .addCredentials(credential(TOKEN, true, "A Databricks personal access token (dapi...)"))
      .addCredentials(credential(CLIENT_ID, false, "OAuth machine-to-machine: the service principal's client id"))
      .addCredentials(credential(CLIENT_SECRET, true, "OAuth machine-to-machine: the service principal's OAuth secret"))
      .addCredentials(credential(AZURE_TENANT_ID, false, "Azure AD service principal: the tenant (directory) id"))
      .addCredentials(credential(AZURE_CLIENT_ID, false, "Azure AD service principal: the application (client) id"))
      .addCredentials(credential(AZURE_CLIENT_SECRET, true, "Azure AD service principal: the client secret"))
      .addCredentials(credential(AZURE_AD_TOKEN, true, "A user's own Azure AD access token for Azure Databricks"))
      .addCredentials(credential(AZURE_AD_TOKEN_EXPIRES_AT, false,
          "When that Azure AD token expires (ISO-8601, such as 2026-12-01T13:00:00Z); read from the token when absent"))
      .addCredentials(credential(GENERATED_TOKEN, true,
          "Written by the SDK: the personal access token it generated with the Azure AD credentials"))
      .addCredentials(credential(GENERATED_TOKEN_ID, false, "Written by the SDK: the generated token's id"))
      .addCredentials(credential(GENERATED_TOKEN_CREATED_AT, false, "Written by the SDK: when it was created"))
      .addCredentials(credential(GENERATED_TOKEN_EXPIRES_AT, false, "Written by the SDK: when it expires"))
      .addCapabilities(Capability.INTERACTIVE_SQL, Capability.INTERACTIVE_PYTHON, Capability.INTERACTIVE_SCALA,
          Capability.CLUSTERS, Capability.JOBS)
      .build();

  /** An optional credential field: which ones are needed depends on the kind of auth (see the README). */
  private static Setting credential(String name, boolean secret, String description) {
    return Setting.builder().name(name).description(description).secret(secret).build();
  }

  /** Needed by {@link java.util.ServiceLoader}. */
  public DatabricksFabricProvider() {}

  @Override
  public String kind() {
    return KIND;
  }

  /**
   * The settings above and the credential fields of each kind of auth, all optional: which auth a
   * user's credentials hold is chosen from the fields present when connecting.
   */
  @Override
  public FabricDescriptor describe() {
    return DESCRIPTOR;
  }

  /**
   * Makes the connection's HTTP client; no call reaches the workspace until a session or a clusters call.
   *
   * @throws io.prophecy.sdk.InvalidInputException when a setting is malformed, or the credentials hold no
   *     complete kind of auth, or fields of two kinds
   */
  @Override
  public DatabricksConnection connect(FabricConfig config, Credentials credentials, ConnectorContext context) {
    DatabricksSettings settings = DatabricksSettings.from(config);
    Platform platform = Platform.system();
    DatabricksAuth auth = DatabricksAuth.from(credentials, config, settings, context, platform);
    return DatabricksFabricConnection.open(settings, auth, context, platform);
  }

  /**
   * A job on a Databricks fabric keeps {@code code/databricks-job.json} in its folder, as Prophecy's
   * projects do: generated from the job with the fabric's job-size presets ({@link DatabricksJobJson#generate}),
   * its wheels at Prophecy's artifact paths, to be deployed with {@code scheduler().deploy}.
   *
   * @throws io.prophecy.sdk.InvalidInputException naming {@code job.jobSize} when the fabric has no such
   *     preset (or, without a job size, no preset {@code default}), or the {@code jobSizes} setting's field
   */
  @Override
  public SortedMap<String, String> jobFiles(JobSpec job, FabricConfig fabric) {
    JobSizes sizes = JobSizes.parse(fabric.setting(JOB_SIZES).orElse(""));
    DatabricksJobJson file = DatabricksJobJson.generate(job, DatabricksJobJson.Options.of(fabric.fabricId(), sizes));
    SortedMap<String, String> out = new TreeMap<>();
    out.put("code/" + DatabricksJobJson.FILE_NAME, file.toJson());
    return out;
  }
}
