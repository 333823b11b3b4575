package io.prophecy.sdk.model;

import io.prophecy.sdk.InvalidInputException;
import io.prophecy.sdk.internal.Checks;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.immutables.value.Value;

/**
 * A dataset of a project: its format, where it lives (a path for files, a table for catalog and JDBC
 * datasets), its schema where known, and its format options, as Prophecy keeps them in
 * {@code datasets/<name>/<fabric or default>/configs/dataset.json}.
 *
 * <pre>{@code
 * DatasetSpec orders = DatasetSpec.builder().name("orders").format("csv").path("data/orders.csv")
 *     .putOptions("header", "true")
 *     .addSchema(DatasetSpec.Column.of("id", "long"), DatasetSpec.Column.of("amount", "double"))
 *     .build();
 * }</pre>
 */
@Value.Immutable
public abstract class DatasetSpec {
  /** Formats kept in files, which need a path. */
  public static final Set<String> FILE_FORMATS = Set.of("csv", "parquet", "json", "orc", "text", "delta", "avro", "xml", "xlsx");

  /** Formats kept in tables, which need a table name. */
  public static final Set<String> TABLE_FORMATS = Set.of("catalogtable", "jdbc", "snowflake");

  /**
   * One column of a dataset's schema.
   *
   * @param name the column's name
   * @param type a Spark SQL type name, such as {@code string}, {@code long} or {@code decimal(10,2)}
   * @param nullable whether the column may hold nulls
   */
  public record Column(String name, String type, boolean nullable) {
    public static Column of(String name, String type) {
      return new Column(name, type, true);
    }
  }

  public abstract String name();

  public abstract Optional<String> description();

  /** The format, as Prophecy spells it: {@code csv}, {@code parquet}, {@code catalogTable}, ... */
  public abstract String format();

  /** Where a file dataset lives: a path, folder or URI such as {@code dbfs:/data/orders}. */
  public abstract Optional<String> path();

  /** The table of a catalog, JDBC or Snowflake dataset, such as {@code sales.orders}. */
  public abstract Optional<String> table();

  /** The schema, in column order; empty when not declared. */
  public abstract List<Column> schema();

  /** Format options, such as {@code header} or {@code separator} for CSV; Spark's defaults apply to the rest. */
  public abstract Map<String, String> options();

  public static Builder builder() {
    return new Builder();
  }

  /** Whether the format keeps its data in files. */
  public boolean isFile() {
    return FILE_FORMATS.contains(format().toLowerCase(Locale.ROOT));
  }

  @Value.Check
  protected void check() {
    Checks.name("dataset.name", name());
    String f = format().toLowerCase(Locale.ROOT);
    if (!FILE_FORMATS.contains(f) && !TABLE_FORMATS.contains(f)) {
      throw new InvalidInputException("dataset.format", "'" + format() + "' is not a dataset format; use one of "
          + new java.util.TreeSet<>(FILE_FORMATS) + " for files or catalogTable, jdbc, snowflake for tables");
    }
    if (FILE_FORMATS.contains(f) && path().filter(p -> !p.isBlank()).isEmpty()) {
      throw new InvalidInputException("dataset.path", "a " + format() + " dataset needs a path");
    }
    if (TABLE_FORMATS.contains(f) && table().filter(t -> !t.isBlank()).isEmpty()) {
      throw new InvalidInputException("dataset.table", "a " + format() + " dataset needs a table name");
    }
    java.util.Set<String> seen = new java.util.HashSet<>();
    for (int i = 0; i < schema().size(); i++) {
      Column c = schema().get(i);
      if (c.name() == null || c.name().isBlank()) {
        throw new InvalidInputException("dataset.schema[" + i + "].name", "must not be empty");
      }
      if (c.type() == null || c.type().isBlank()) {
        throw new InvalidInputException("dataset.schema[" + i + "].type", "column '" + c.name() + "' needs a type");
      }
      if (!seen.add(c.name().toLowerCase(Locale.ROOT))) {
        throw new InvalidInputException("dataset.schema[" + i + "].name", "column '" + c.name() + "' is declared twice");
      }
    }
  }

  public static final class Builder extends ImmutableDatasetSpec.Builder {}
}
