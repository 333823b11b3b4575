package io.prophecy.sdk.databricks.internal;

import io.prophecy.sdk.model.DatasetSpec;
import io.prophecy.sdk.spi.PipelinePlan;
import io.prophecy.sdk.spi.PipelinePlan.Step;
import io.prophecy.sdk.spi.SparkOptions;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * The Spark SQL a pipeline plan's steps run as on a cluster's SQL context: a READ is a temporary view
 * {@code USING} the dataset's format, a TRANSFORM a temporary view over its query, a WRITE an
 * {@code INSERT OVERWRITE DIRECTORY} or a {@code CREATE TABLE ... AS SELECT}.
 */
final class PlanSql {
  /** The view that per-field probes are analysed as. */
  static final String PROBE_VIEW = "__prophecy_probe";

  /** A WRITE this SQL context cannot run, and the dataset field that says why. */
  static final class Unsupported extends Exception {
    private static final long serialVersionUID = 1L;
    final String field;

    Unsupported(String field, String message) {
      super(message, null, false, false);
      this.field = field;
    }
  }

  private PlanSql() {}

  static String ident(String name) {
    return "`" + name.replace("`", "``") + "`";
  }

  /** A Spark SQL string literal. */
  static String literal(String text) {
    return "'" + text.replace("\\", "\\\\").replace("'", "\\'") + "'";
  }

  /** The statement that registers the view of a READ or TRANSFORM step. */
  static String define(Step s) {
    return switch (s.kind()) {
      case READ -> read(s);
      case TRANSFORM -> "CREATE OR REPLACE TEMPORARY VIEW " + ident(s.view()) + " AS\n" + s.sql();
      case WRITE -> throw new IllegalArgumentException("a WRITE step registers no view");
    };
  }

  /** One command that registers every view of the plan, in step order. */
  static String defineAll(List<Step> steps) {
    return steps.stream().filter(s -> s.kind() != PipelinePlan.Kind.WRITE).map(PlanSql::define)
        .collect(Collectors.joining(";\n"));
  }

  /** The query whose output is the step's: its view, or for a WRITE the query it writes. */
  static String output(Step s) {
    return s.kind() == PipelinePlan.Kind.WRITE ? "(" + s.sql() + ")" : ident(s.view());
  }

  /** The step's output without running it: an empty result that carries the schema. */
  static String schema(Step s) {
    return "SELECT * FROM " + output(s) + " LIMIT 0";
  }

  /** One query that counts the rows of every step given, as rows {@code (step, row_count)}. */
  static String count(List<Integer> indexes, List<Step> steps) {
    return indexes.stream().map(i -> "SELECT " + i + " AS step, count(*) AS row_count FROM " + output(steps.get(i)))
        .collect(Collectors.joining("\nUNION ALL\n"));
  }

  static String sample(Step s, int rows) {
    return "SELECT * FROM " + output(s) + " LIMIT " + rows;
  }

  static String probe(PipelinePlan.Probe p) {
    return "CREATE OR REPLACE TEMPORARY VIEW " + ident(PROBE_VIEW) + " AS\n" + p.sql();
  }

  private static String read(Step s) {
    DatasetSpec d = dataset(s);
    String format = d.format().toLowerCase(Locale.ROOT);
    if (format.equals("catalogtable")) {
      return "CREATE OR REPLACE TEMPORARY VIEW " + ident(s.view()) + " AS SELECT * FROM " + table(s, d);
    }
    StringBuilder b = new StringBuilder("CREATE OR REPLACE TEMPORARY VIEW ").append(ident(s.view()));
    if (!d.schema().isEmpty()) {
      b.append(" (").append(d.schema().stream().map(c -> ident(c.name()) + " " + c.type())
          .collect(Collectors.joining(", "))).append(")");
    }
    b.append(" USING ").append(format);
    Map<String, String> options = new LinkedHashMap<>();
    d.path().ifPresent(p -> options.put("path", p));
    options.putAll(SparkOptions.of(d));
    if (format.equals("csv") && d.schema().isEmpty() && !d.options().containsKey("inferSchema")) {
      options.put("inferSchema", "true");
    }
    if (format.equals("jdbc") && !options.containsKey("dbtable") && !options.containsKey("query")) {
      d.table().ifPresent(t -> options.put("dbtable", t));
    }
    return b.append(optionsClause(options)).toString();
  }

  /**
   * The statement that writes a WRITE step's query to its dataset.
   *
   * <ul>
   *   <li>a catalog table: overwrite {@code INSERT OVERWRITE TABLE t}, append {@code INSERT INTO t}, each after
   *       {@code CREATE TABLE IF NOT EXISTS t AS ... LIMIT 0} in the same command; error
   *       {@code CREATE TABLE t AS}, ignore {@code CREATE TABLE IF NOT EXISTS t AS};
   *   <li>a Delta path: the same, on {@code delta.`path`};
   *   <li>other file formats: overwrite only, as {@code INSERT OVERWRITE DIRECTORY 'path' USING fmt}.
   * </ul>
   *
   * @throws Unsupported for what SQL cannot express on a path (append, error, ignore, partitions)
   */
  static String write(Step s) throws Unsupported {
    return String.join(";\n", writeStatements(s));
  }

  /** The statements of {@link #write}, one or two. */
  static List<String> writeStatements(Step s) throws Unsupported {
    DatasetSpec d = dataset(s);
    String format = d.format().toLowerCase(Locale.ROOT);
    String mode = s.writeMode().or(() -> Optional.ofNullable(d.options().get("writeMode"))).orElse("error")
        .toLowerCase(Locale.ROOT);
    List<String> partitions = SparkOptions.partitionColumns(d);
    String query = s.sql();
    if (mode.equals("merge")) {
      throw new Unsupported("writeMode", "writeMode 'merge' (a Delta merge) is not run by the SDK yet; use overwrite"
          + " or append");
    }
    if (format.equals("catalogtable") || format.equals("delta")) {
      String target = format.equals("delta") ? "delta." + ident(d.path().orElseThrow(() -> new IllegalArgumentException(
          "dataset '" + d.name() + "' of gem '" + s.gem() + "' has no path"))) : table(s, d);
      String partitioned = partitions.isEmpty() ? ""
          : " PARTITIONED BY (" + partitions.stream().map(PlanSql::ident).collect(Collectors.joining(", ")) + ")";
      // a catalog table is made in the workspace's default format (Delta) unless the dataset names a provider
      String using = format.equals("delta") ? " USING delta"
          : Optional.ofNullable(d.options().get("provider")).map(p -> " USING " + p).orElse("");
      // made empty when missing (with the query's schema), then filled: as a DataFrameWriter's overwrite and
      // append, which also create what is missing and keep the table's schema
      String create = "CREATE TABLE IF NOT EXISTS " + target + using + partitioned + " AS\nSELECT * FROM (" + query
          + ") LIMIT 0";
      String table = format.equals("delta") ? target : "TABLE " + target;
      return switch (mode) {
        case "overwrite" -> List.of(create, "INSERT OVERWRITE " + table + "\n" + query);
        case "append" -> List.of(create, "INSERT INTO " + table + "\n" + query);
        case "error", "errorifexists" -> List.of("CREATE TABLE " + target + using + partitioned + " AS\n" + query);
        case "ignore" -> List.of("CREATE TABLE IF NOT EXISTS " + target + using + partitioned + " AS\n" + query);
        default -> throw new Unsupported("writeMode", "writeMode '" + mode + "' is not one of overwrite, append, error,"
            + " ignore");
      };
    }
    if (format.equals("jdbc")) {
      throw new Unsupported("format", "writing to JDBC is not run on a Databricks SQL session yet; write to a"
          + " catalog table or a Delta path");
    }
    if (!mode.equals("overwrite")) {
      throw new Unsupported("writeMode", "writeMode '" + mode + "' to a " + format + " path is not run on a Databricks"
          + " SQL session (Spark SQL writes a path only by INSERT OVERWRITE DIRECTORY); use overwrite, or a Delta"
          + " or catalog table dataset");
    }
    if (!partitions.isEmpty()) {
      throw new Unsupported("partitionColumns", "partitioned writes to a " + format + " path are not run on a"
          + " Databricks SQL session; use a Delta or catalog table dataset to partition");
    }
    Map<String, String> options = new java.util.LinkedHashMap<>(SparkOptions.of(d));
    return List.of("INSERT OVERWRITE DIRECTORY " + literal(d.path().orElseThrow(() -> new IllegalArgumentException(
        "dataset '" + d.name() + "' of gem '" + s.gem() + "' has no path"))) + " USING " + format
        + optionsClause(options) + "\n" + query);
  }

  /** The table of a catalog table dataset (its name when it names none), each part quoted. */
  private static String table(Step s, DatasetSpec d) {
    String name = d.table().orElse(d.name());
    if (name.contains("`")) {
      return name; // quoted by the user already
    }
    return java.util.Arrays.stream(name.split("\\.")).map(PlanSql::ident).collect(Collectors.joining("."));
  }

  private static DatasetSpec dataset(Step s) {
    return s.dataset().orElseThrow(() -> new IllegalArgumentException("the " + s.kind() + " step of gem '" + s.gem()
        + "' names no dataset"));
  }

  private static String optionsClause(Map<String, String> options) {
    if (options.isEmpty()) {
      return "";
    }
    return " OPTIONS (" + options.entrySet().stream().map(e -> ident(e.getKey()) + " " + literal(e.getValue()))
        .collect(Collectors.joining(", ")) + ")";
  }
}
