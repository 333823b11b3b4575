package io.prophecy.sdk.tpch;

import io.prophecy.sdk.model.DatasetSpec;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/** The test data and the two engines that read it: a local SparkSession and an in-memory DuckDB. */
final class Engines {
  /** The scale factor the tests use: 15,000 orders, about 60,000 lineitems. */
  static final double SCALE = 0.01;

  private static Path data;

  private Engines() {}

  /** The data at {@link #SCALE}, written once per test JVM under target/. */
  static synchronized Path data() {
    if (data == null) {
      Path folder = Path.of("target", "tpch-data", "sf-" + SCALE).toAbsolutePath();
      TpchData.of(SCALE).write(folder);
      data = folder;
    }
    return data;
  }

  /** A local SparkSession for one test class: no UI, 4 shuffle partitions, bound to loopback. */
  static SparkSession spark(String app) {
    return SparkSession.builder()
        .master("local[2]")
        .appName(app)
        .config("spark.ui.enabled", "false")
        .config("spark.sql.shuffle.partitions", "4")
        .config("spark.driver.bindAddress", "127.0.0.1")
        .config("spark.driver.host", "127.0.0.1")
        .config("spark.sql.session.timeZone", "UTC")
        .getOrCreate();
  }

  /** Registers every table of {@code folder} as a temporary view with its declared schema. */
  static void registerSpark(SparkSession spark, Path folder) {
    for (String table : TpchData.TABLES) {
      read(spark, TpchData.dataset(table, folder)).createOrReplaceTempView(table);
    }
  }

  /** Reads a CSV dataset with its declared schema, failing on any row that does not fit it. */
  static Dataset<Row> read(SparkSession spark, DatasetSpec d) {
    String ddl = d.schema().stream().map(c -> c.name() + " " + c.type()).collect(Collectors.joining(", "));
    return spark.read().schema(ddl).option("header", d.options().getOrDefault("header", "true"))
        .option("mode", "FAILFAST").csv(d.path().orElseThrow());
  }

  /** An in-memory DuckDB with every table of {@code folder} loaded by read_csv with explicit types. */
  static Connection duckdb(Path folder) throws SQLException {
    Connection c = DriverManager.getConnection("jdbc:duckdb:");
    try (Statement s = c.createStatement()) {
      for (String table : TpchData.TABLES) {
        DatasetSpec d = TpchData.dataset(table, folder);
        String columns = d.schema().stream().map(col -> "'" + col.name() + "': '" + duckType(col.type()) + "'")
            .collect(Collectors.joining(", "));
        s.execute("CREATE TABLE " + table + " AS SELECT * FROM read_csv('" + d.path().orElseThrow().replace("'", "''")
            + "', header = true, delim = ',', auto_detect = false, columns = {" + columns + "})");
      }
    }
    return c;
  }

  /** DuckDB's name for a Spark SQL type of the TPC-H schemas. */
  static String duckType(String sparkType) {
    String t = sparkType.toLowerCase(Locale.ROOT);
    return switch (t) {
      case "int" -> "INTEGER";
      case "bigint" -> "BIGINT";
      case "string" -> "VARCHAR";
      case "date" -> "DATE";
      default -> {
        if (t.startsWith("decimal(")) {
          yield t.toUpperCase(Locale.ROOT);
        }
        throw new IllegalArgumentException("no DuckDB type for " + sparkType);
      }
    };
  }

  /** A Spark result: column names, then rows of values as Spark gives them. */
  static Table collect(Dataset<Row> result) {
    List<String> names = List.of(result.columns());
    List<List<Object>> rows = new ArrayList<>();
    for (Row r : result.collectAsList()) {
      List<Object> row = new ArrayList<>();
      for (int i = 0; i < r.length(); i++) {
        row.add(r.get(i));
      }
      rows.add(row);
    }
    return new Table(names, rows);
  }

  static Table query(Connection duck, String sql) throws SQLException {
    try (Statement s = duck.createStatement(); ResultSet rs = s.executeQuery(sql)) {
      ResultSetMetaData md = rs.getMetaData();
      List<String> names = new ArrayList<>();
      for (int i = 1; i <= md.getColumnCount(); i++) {
        names.add(md.getColumnLabel(i));
      }
      List<List<Object>> rows = new ArrayList<>();
      while (rs.next()) {
        List<Object> row = new ArrayList<>();
        for (int i = 1; i <= md.getColumnCount(); i++) {
          row.add(rs.getObject(i));
        }
        rows.add(row);
      }
      return new Table(names, rows);
    }
  }

  /** Column names and rows. */
  record Table(List<String> columns, List<List<Object>> rows) {
    /** The Java class of each column's first non-null value, for messages. */
    Map<String, String> types() {
      Map<String, String> out = new java.util.LinkedHashMap<>();
      for (int i = 0; i < columns.size(); i++) {
        int c = i;
        out.put(columns.get(i), rows.stream().map(r -> r.get(c)).filter(v -> v != null).findFirst()
            .map(v -> v.getClass().getSimpleName()).orElse("null"));
      }
      return out;
    }
  }
}
