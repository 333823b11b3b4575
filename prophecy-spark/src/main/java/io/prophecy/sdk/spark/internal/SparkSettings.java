package io.prophecy.sdk.spark.internal;

import io.prophecy.sdk.InvalidInputException;
import io.prophecy.sdk.spark.SparkFabricProvider;
import io.prophecy.sdk.spark.SparkPaths;
import io.prophecy.sdk.spi.ConnectorContext;
import io.prophecy.sdk.spi.FabricConfig;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.apache.spark.sql.internal.SQLConf;

/**
 * A spark fabric's settings, parsed and split into what belongs to the JVM's one Spark context and
 * what each Spark session sets for itself.
 *
 * @param master the master URL
 * @param ui whether the Spark UI runs
 * @param warehouse the warehouse folder
 * @param warehouseGiven whether the fabric named it (else it is the default in the work folder)
 * @param localDir Spark's scratch folder
 * @param localDirGiven whether the fabric named it
 * @param contextConf Spark configuration that only a new context can take, sorted
 * @param sessionConf runtime Spark SQL configuration each session sets
 * @param appName the application name of a context this connection starts
 */
public record SparkSettings(String master, boolean ui, String warehouse, boolean warehouseGiven, String localDir,
    boolean localDirGiven, Map<String, String> contextConf, Map<String, String> sessionConf, String appName) {
  static final String FIELD = "fabric.settings.";

  /** Shuffle partitions in local mode, unless configured: a handful suits one machine's data. */
  static final String LOCAL_SHUFFLE_PARTITIONS = "4";

  public SparkSettings {
    contextConf = Map.copyOf(contextConf);
    sessionConf = Map.copyOf(sessionConf);
  }

  /**
   * Parses a fabric's settings.
   *
   * @throws InvalidInputException naming the setting that is malformed
   */
  public static SparkSettings from(FabricConfig config, ConnectorContext context) {
    String master = config.setting(SparkFabricProvider.MASTER).map(String::trim).filter(s -> !s.isEmpty())
        .orElse(SparkFabricProvider.DEFAULT_MASTER);
    boolean ui = bool(config, SparkFabricProvider.UI);
    bool(config, SparkFabricProvider.STORE_SAMPLES);
    SparkPaths.check(config.setting(SparkFabricProvider.PATH_MAPPINGS).orElse(null));
    Map<String, String> conf = parseConf(config.setting(SparkFabricProvider.CONF).orElse(null));
    Optional<String> warehouse = config.setting(SparkFabricProvider.WAREHOUSE).map(String::trim).filter(s -> !s.isEmpty());
    Optional<String> localDir = config.setting(SparkFabricProvider.WORK_DIRECTORY).map(String::trim).filter(s -> !s.isEmpty());
    Path work = warehouse.isPresent() && localDir.isPresent() ? null : context.workDirectory();
    Map<String, String> contextConf = new TreeMap<>();
    Map<String, String> sessionConf = new TreeMap<>();
    for (var e : conf.entrySet()) {
      String key = e.getKey();
      if (key.equals("spark.master") || key.equals("spark.ui.enabled") || key.equals("spark.sql.warehouse.dir")
          || key.equals("spark.local.dir")) {
        throw new InvalidInputException(FIELD + SparkFabricProvider.CONF, "'" + key + "' is set by the fabric's"
            + " own setting; use " + ownSetting(key) + " instead");
      }
      if (isRuntimeSqlConf(key)) {
        sessionConf.put(key, e.getValue());
      } else {
        contextConf.put(key, e.getValue());
      }
    }
    if (isLocal(master)) {
      sessionConf.putIfAbsent("spark.sql.shuffle.partitions", LOCAL_SHUFFLE_PARTITIONS);
    }
    String user = context.userEmail();
    return new SparkSettings(master, ui,
        warehouse.orElseGet(() -> work.resolve("warehouse").toAbsolutePath().toString()), warehouse.isPresent(),
        localDir.orElseGet(() -> work.resolve("spark-local").toAbsolutePath().toString()), localDir.isPresent(),
        contextConf, sessionConf, "prophecy-" + (user == null || user.isBlank() ? "user" : user));
  }

  /** Whether the master runs Spark inside this JVM. */
  public boolean local() {
    return isLocal(master);
  }

  static boolean isLocal(String master) {
    String m = master.toLowerCase(Locale.ROOT);
    return m.equals("local") || m.startsWith("local[") || m.startsWith("local-cluster[");
  }

  /** Whether a key is Spark SQL configuration a session may change at run time. */
  static boolean isRuntimeSqlConf(String key) {
    return key.startsWith("spark.sql.") && !SQLConf.isStaticConfigKey(key);
  }

  /** Parses {@code k=v;k2=v2}; blank entries are skipped. */
  static Map<String, String> parseConf(String text) {
    Map<String, String> out = new LinkedHashMap<>();
    if (text == null || text.isBlank()) {
      return out;
    }
    for (String entry : text.split(";")) {
      if (entry.isBlank()) {
        continue;
      }
      int eq = entry.indexOf('=');
      String key = eq < 0 ? "" : entry.substring(0, eq).trim();
      if (key.isEmpty()) {
        throw new InvalidInputException(FIELD + SparkFabricProvider.CONF, "'" + entry.trim() + "' is not a"
            + " key=value pair; write pairs separated by ';', such as spark.sql.shuffle.partitions=8");
      }
      out.put(key, entry.substring(eq + 1).trim());
    }
    return out;
  }

  private static String ownSetting(String key) {
    return switch (key) {
      case "spark.master" -> "the setting '" + SparkFabricProvider.MASTER + "'";
      case "spark.ui.enabled" -> "the setting '" + SparkFabricProvider.UI + "'";
      case "spark.sql.warehouse.dir" -> "the setting '" + SparkFabricProvider.WAREHOUSE + "'";
      default -> "the setting '" + SparkFabricProvider.WORK_DIRECTORY + "'";
    };
  }

  private static boolean bool(FabricConfig config, String name) {
    String v = config.setting(name).map(String::trim).orElse("false");
    if (!v.equals("true") && !v.equals("false")) {
      throw new InvalidInputException(FIELD + name, "'" + v + "' is not true or false");
    }
    return Boolean.parseBoolean(v);
  }
}
