package io.prophecy.sdk.spark;

import io.prophecy.sdk.model.Credentials;
import io.prophecy.sdk.spark.internal.SparkFabricConnection;
import io.prophecy.sdk.spark.internal.SparkSettings;
import io.prophecy.sdk.spi.Capability;
import io.prophecy.sdk.spi.ConnectorContext;
import io.prophecy.sdk.spi.FabricConfig;
import io.prophecy.sdk.spi.FabricConnection;
import io.prophecy.sdk.spi.FabricDescriptor;
import io.prophecy.sdk.spi.FabricProvider;
import io.prophecy.sdk.spi.Setting;
import io.prophecy.sdk.spi.SettingType;

/**
 * The fabric kind {@value #KIND}: Apache Spark in this JVM. It takes no credentials; its settings are
 * the Spark master (default {@code local[*]}), the UI switch, extra Spark configuration, the warehouse
 * and scratch folders, path mappings and whether samples may be stored.
 *
 * <p>Spark allows one SparkContext per JVM, so every connection to every {@code spark} fabric in the
 * JVM shares one context, counted by reference and stopped when the last connection closes. Each
 * connection has its own {@link org.apache.spark.sql.SparkSession} over it (its own temporary views
 * and SQL settings). Settings that belong to the context (master, UI, the warehouse, non-SQL Spark
 * configuration) come from the connection that started it; a later connection that asks for different
 * ones fails with a message saying which.
 *
 * <p>Sessions run Spark SQL and implement {@link io.prophecy.sdk.spi.PlanExecutor}. A plan run without
 * samples runs only the terminal steps (writes, and steps nobody reads) and takes every gem's row count
 * from the same Spark queries through observed metrics ({@link org.apache.spark.sql.Dataset#observe});
 * a gem's duration is then the duration of the query that counted it, so gems fused into one job all
 * report that job's time. A gem read under a LIMIT, or removed by the optimizer, is counted by a query of
 * its own. A run with samples persists, counts and samples each step in order, and a step's duration is
 * its own. Each run has a Spark session of its own, so its temporary views end with it.
 *
 * <p>Found through {@link java.util.ServiceLoader}; a host application never creates it.
 */
public final class SparkFabricProvider implements FabricProvider {
  /** The fabric kind. */
  public static final String KIND = "spark";
  /** Setting: the Spark master URL. */
  public static final String MASTER = "master";
  /** Setting: whether to serve the Spark UI. */
  public static final String UI = "ui";
  /** Setting: extra Spark configuration, {@code key=value;key2=value2}. */
  public static final String CONF = "conf";
  /** Setting: the folder of managed tables ({@code spark.sql.warehouse.dir}). */
  public static final String WAREHOUSE = "warehouse";
  /** Setting: Spark's scratch folder for shuffle and spill files ({@code spark.local.dir}). */
  public static final String WORK_DIRECTORY = "workDirectory";
  /** Setting: dataset path prefixes to rewrite, {@code dbfs:/=/local/dir;s3://bucket/=/x/}; see {@link SparkPaths}. */
  public static final String PATH_MAPPINGS = "pathMappings";
  /** Setting: whether the SDK may store data samples of runs on this fabric (encrypted). */
  public static final String STORE_SAMPLES = "storeSamples";

  /** The default master: local mode with one worker thread per core. */
  public static final String DEFAULT_MASTER = "local[*]";

  private static final FabricDescriptor DESCRIPTOR = FabricDescriptor.builder()
      .kind(KIND)
      .displayName("Apache Spark (embedded)")
      .addSettings(Setting.optional(MASTER, SettingType.STRING, DEFAULT_MASTER,
          "The Spark master URL: local[*], local[N], or a cluster's master such as spark://host:7077"))
      .addSettings(Setting.optional(UI, SettingType.BOOLEAN, "false", "Whether to serve the Spark web UI"))
      .addSettings(Setting.optional(CONF, SettingType.STRING, null,
          "Extra Spark configuration as key=value pairs separated by ';', such as"
              + " spark.sql.shuffle.partitions=8;spark.executor.memory=2g"))
      .addSettings(Setting.optional(WAREHOUSE, SettingType.STRING, null,
          "The folder of managed tables (spark.sql.warehouse.dir); by default 'warehouse' in the"
              + " connection's work folder"))
      .addSettings(Setting.optional(WORK_DIRECTORY, SettingType.STRING, null,
          "Spark's scratch folder for shuffle and spill files (spark.local.dir); by default"
              + " 'spark-local' in the connection's work folder"))
      .addSettings(Setting.optional(PATH_MAPPINGS, SettingType.STRING, null,
          "Dataset path prefixes to rewrite, as prefix=replacement pairs separated by ';', such as"
              + " dbfs:/=/data/dbfs;s3://bucket/=/data/s3"))
      .addSettings(Setting.optional(STORE_SAMPLES, SettingType.BOOLEAN, "false",
          "Whether data samples of runs on this fabric may be stored (encrypted); by default they are"
              + " kept in memory only"))
      .addCapabilities(Capability.INTERACTIVE_SQL)
      .build();

  /** Needed by {@link java.util.ServiceLoader}. */
  public SparkFabricProvider() {}

  @Override
  public String kind() {
    return KIND;
  }

  /** The settings above; no credential fields, since the embedded fabric needs none. */
  @Override
  public FabricDescriptor describe() {
    return DESCRIPTOR;
  }

  /**
   * Starts (or joins) the JVM's Spark context and opens a session over it for the user.
   *
   * @throws io.prophecy.sdk.InvalidInputException when a setting is malformed
   * @throws io.prophecy.sdk.ConnectorException when Spark cannot start, or a context with other
   *     context-level settings is already running in this JVM
   */
  @Override
  public FabricConnection connect(FabricConfig config, Credentials credentials, ConnectorContext context) {
    return SparkFabricConnection.open(SparkSettings.from(config, context));
  }
}
