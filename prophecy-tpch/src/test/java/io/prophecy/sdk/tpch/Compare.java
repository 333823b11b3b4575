package io.prophecy.sdk.tpch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import io.prophecy.sdk.tpch.Engines.Table;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.LocalDate;
import java.util.List;
import java.util.Objects;

/**
 * How results are compared. Both sides must have the same column names in the same order and the same
 * number of rows; rows are compared in order (every query orders its rows completely).
 *
 * <ul>
 *   <li>{@link #sameEngine}: the same Spark session ran both, so every value must be equal, of the same
 *       Java type, with decimals of the same scale.
 *   <li>{@link #acrossEngines}: Spark against DuckDB. Whole numbers compare as integers whatever their
 *       width (Spark's bigint against DuckDB's HUGEINT sums); dates as dates; strings exactly. Decimals
 *       against decimals compare exactly, by value ({@code compareTo}). Where one engine gives a double
 *       (DuckDB's {@code avg} of a decimal) and the other a decimal of scale s (Spark's {@code avg} is
 *       decimal(19,6), rounded half up), they agree when they differ by at most half a unit in the
 *       decimal's last place plus a relative 1e-9 of the double. Doubles against doubles agree within a
 *       relative 1e-9.
 * </ul>
 */
final class Compare {
  static final double RELATIVE_TOLERANCE = 1e-9;

  private Compare() {}

  static void sameEngine(String what, Table expected, Table actual) {
    shape(what, expected, actual);
    for (int r = 0; r < expected.rows().size(); r++) {
      for (int c = 0; c < expected.columns().size(); c++) {
        Object e = expected.rows().get(r).get(c);
        Object a = actual.rows().get(r).get(c);
        boolean same = e == null ? a == null : a != null && e.getClass().equals(a.getClass()) && e.equals(a);
        if (!same) {
          fail(what + ": row " + r + " column " + expected.columns().get(c) + ": expected " + describe(e) + " but was "
              + describe(a));
        }
      }
    }
  }

  static void acrossEngines(String what, Table spark, Table duckdb) {
    shape(what, spark, duckdb);
    for (int r = 0; r < spark.rows().size(); r++) {
      for (int c = 0; c < spark.columns().size(); c++) {
        Object s = spark.rows().get(r).get(c);
        Object d = duckdb.rows().get(r).get(c);
        if (!agree(s, d)) {
          fail(what + ": row " + r + " column " + spark.columns().get(c) + ": Spark gave " + describe(s)
              + ", DuckDB gave " + describe(d) + "\nSpark row:  " + spark.rows().get(r) + "\nDuckDB row: "
              + duckdb.rows().get(r));
        }
      }
    }
  }

  private static void shape(String what, Table expected, Table actual) {
    assertThat(actual.columns()).as(what + ": columns").isEqualTo(expected.columns());
    assertThat(actual.rows()).as(what + ": row count").hasSameSizeAs(expected.rows());
  }

  static boolean agree(Object a, Object b) {
    if (a == null || b == null) {
      return a == null && b == null;
    }
    if (isIntegral(a) && isIntegral(b)) {
      return integral(a).equals(integral(b));
    }
    if (a instanceof BigDecimal x && b instanceof BigDecimal y) {
      return x.compareTo(y) == 0;
    }
    if (a instanceof BigDecimal x && b instanceof Double y) {
      return decimalNearDouble(x, y);
    }
    if (a instanceof Double x && b instanceof BigDecimal y) {
      return decimalNearDouble(y, x);
    }
    if (a instanceof Double x && b instanceof Double y) {
      return Math.abs(x - y) <= RELATIVE_TOLERANCE * Math.max(Math.abs(x), Math.abs(y));
    }
    if (isDate(a) && isDate(b)) {
      return date(a).equals(date(b));
    }
    if (a instanceof String && b instanceof String) {
      return a.equals(b);
    }
    return false;
  }

  private static boolean decimalNearDouble(BigDecimal decimal, double value) {
    if (Double.isNaN(value) || Double.isInfinite(value)) {
      return false;
    }
    BigDecimal halfUnit = BigDecimal.ONE.movePointLeft(Math.max(decimal.scale(), 0)).divide(BigDecimal.valueOf(2));
    BigDecimal allowed = halfUnit.add(BigDecimal.valueOf(Math.abs(value) * RELATIVE_TOLERANCE));
    return decimal.subtract(new BigDecimal(value)).abs().compareTo(allowed) <= 0;
  }

  private static boolean isIntegral(Object o) {
    return o instanceof Integer || o instanceof Long || o instanceof Short || o instanceof Byte || o instanceof BigInteger;
  }

  private static BigInteger integral(Object o) {
    return o instanceof BigInteger b ? b : BigInteger.valueOf(((Number) o).longValue());
  }

  private static boolean isDate(Object o) {
    return o instanceof LocalDate || o instanceof java.sql.Date;
  }

  private static LocalDate date(Object o) {
    return o instanceof java.sql.Date d ? d.toLocalDate() : (LocalDate) o;
  }

  private static String describe(Object o) {
    return o == null ? "null" : Objects.toString(o) + " (" + o.getClass().getSimpleName() + ")";
  }

  /** The value of a named column in a row. */
  static Object value(Table t, int row, String column) {
    int c = t.columns().indexOf(column);
    assertThat(c).as("column " + column + " in " + t.columns()).isNotNegative();
    return t.rows().get(row).get(c);
  }

  static List<Object> column(Table t, String column) {
    int c = t.columns().indexOf(column);
    assertThat(c).as("column " + column + " in " + t.columns()).isNotNegative();
    return t.rows().stream().map(r -> r.get(c)).toList();
  }
}
