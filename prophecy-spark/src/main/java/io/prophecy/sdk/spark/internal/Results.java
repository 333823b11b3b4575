package io.prophecy.sdk.spark.internal;

import io.prophecy.sdk.spi.ResultTable;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import scala.jdk.javaapi.CollectionConverters;

/** Spark rows as {@link ResultTable}s of plain Java values. */
final class Results {
  private Results() {}

  /** The columns of a schema, typed with Spark's short type names ({@code bigint}, {@code decimal(10,2)}). */
  static List<ResultTable.Column> columns(StructType schema) {
    List<ResultTable.Column> out = new ArrayList<>();
    for (StructField f : schema.fields()) {
      out.add(new ResultTable.Column(f.name(), f.dataType().simpleString()));
    }
    return out;
  }

  /**
   * At most {@code limit} rows of the data frame. Reads one row more to know whether there were more.
   */
  static ResultTable table(Dataset<Row> df, int limit) {
    List<Row> rows = df.limit(limit + 1).collectAsList();
    boolean truncated = rows.size() > limit;
    return build(df.schema(), truncated ? rows.subList(0, limit) : rows, truncated);
  }

  /** A sample of at most {@code limit} rows of a frame whose row count is known. */
  static ResultTable sample(Dataset<Row> df, int limit, long count) {
    List<Row> rows = limit == 0 ? List.of() : df.limit(limit).collectAsList();
    return build(df.schema(), rows, count > rows.size());
  }

  private static ResultTable build(StructType schema, List<Row> rows, boolean truncated) {
    List<List<Object>> out = new ArrayList<>(rows.size());
    for (Row r : rows) {
      out.add(row(r));
    }
    return ResultTable.builder().columns(columns(schema)).rows(out).truncated(truncated).build();
  }

  private static List<Object> row(Row r) {
    List<Object> values = new ArrayList<>(r.length());
    for (int i = 0; i < r.length(); i++) {
      values.add(value(r.get(i)));
    }
    // ResultTable's rows may hold nulls, which List.copyOf refuses.
    return Collections.unmodifiableList(values);
  }

  /**
   * A Spark value as a Java value: numbers, strings, booleans, {@link java.math.BigDecimal},
   * {@code byte[]} and java.time values stay as they are (sessions use Spark's java.time API, so dates
   * are {@link java.time.LocalDate} and timestamps {@link java.time.Instant}); arrays become lists, maps
   * {@link LinkedHashMap}s and structs maps from field name to value.
   */
  static Object value(Object v) {
    if (v instanceof Row struct) {
      Map<String, Object> m = new LinkedHashMap<>();
      StructType schema = struct.schema();
      for (int i = 0; i < struct.length(); i++) {
        m.put(schema == null ? "_" + (i + 1) : schema.fields()[i].name(), value(struct.get(i)));
      }
      return Collections.unmodifiableMap(m);
    }
    if (v instanceof scala.collection.Map<?, ?> map) {
      Map<Object, Object> m = new LinkedHashMap<>();
      CollectionConverters.asJava(map).forEach((k, val) -> m.put(value(k), value(val)));
      return Collections.unmodifiableMap(m);
    }
    if (v instanceof scala.collection.Iterable<?> seq) {
      List<Object> l = new ArrayList<>();
      CollectionConverters.asJava(seq).forEach(e -> l.add(value(e)));
      return Collections.unmodifiableList(l);
    }
    if (v instanceof java.sql.Timestamp ts) {
      return ts.toInstant();
    }
    if (v instanceof java.sql.Date d) {
      return d.toLocalDate();
    }
    return v;
  }
}
