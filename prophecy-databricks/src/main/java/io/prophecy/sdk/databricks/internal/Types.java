package io.prophecy.sdk.databricks.internal;

import io.prophecy.sdk.spi.ResultTable;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A cluster's table results in the terms the embedded Spark fabric reports them, so that a run gives the
 * same schemas and samples on both: Spark's short type names ({@code int}, {@code bigint}, where API 1.2
 * says {@code integer}, {@code long}) and the Java types Spark's rows hold ({@code Integer} for an int,
 * {@code LocalDate} for a date, a decimal at its scale).
 */
final class Types {
  private static final Map<String, String> SHORT_NAMES = Map.of("integer", "int", "long", "bigint", "short",
      "smallint", "byte", "tinyint");
  private static final Pattern DECIMAL = Pattern.compile("decimal\\((\\d+),\\s*(\\d+)\\)");
  private static final DateTimeFormatter OFFSET = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss[.SSS]Z");

  private Types() {}

  /** A type name from API 1.2 as Spark's {@code simpleString} gives it. */
  static String simple(String type) {
    String t = type.toLowerCase(Locale.ROOT);
    return SHORT_NAMES.getOrDefault(t, t);
  }

  static List<ResultTable.Column> columns(ResultTable t) {
    List<ResultTable.Column> out = new ArrayList<>();
    for (ResultTable.Column c : t.columns()) {
      out.add(new ResultTable.Column(c.name(), simple(c.type())));
    }
    return out;
  }

  /**
   * A step's sample: its rows with Spark's Java types; truncated when the step has more rows than the
   * sample holds, or the cluster cut the result.
   */
  static ResultTable sample(ResultTable t, long rows) {
    List<ResultTable.Column> columns = columns(t);
    ResultTable.Builder b = ResultTable.builder().columns(columns).truncated(t.truncated() || rows > t.rows().size());
    for (List<Object> row : t.rows()) {
      List<Object> values = new ArrayList<>(row.size());
      for (int i = 0; i < row.size(); i++) {
        values.add(i < columns.size() ? value(row.get(i), columns.get(i).type()) : row.get(i));
      }
      b.addRows(Collections.unmodifiableList(values));
    }
    return b.build();
  }

  /** A value as Spark's row holds it for a column of that (short) type; kept as it is when it does not fit. */
  static Object value(Object v, String type) {
    if (v == null) {
      return null;
    }
    try {
      if (v instanceof Number n) {
        switch (type) {
          case "int":
            return n.intValue();
          case "bigint":
            return n.longValue();
          case "smallint":
            return n.shortValue();
          case "tinyint":
            return n.byteValue();
          case "double":
            return n.doubleValue();
          case "float":
            return n.floatValue();
          default:
            break;
        }
      }
      Matcher m = DECIMAL.matcher(type);
      if (m.matches()) {
        BigDecimal d = v instanceof BigDecimal bd ? bd : new BigDecimal(v.toString());
        return d.setScale(Integer.parseInt(m.group(2)), RoundingMode.HALF_UP);
      }
      if (v instanceof String s) {
        switch (type) {
          case "date":
            return LocalDate.parse(s);
          case "timestamp":
            return instant(s);
          case "double":
            return Double.valueOf(s);
          case "float":
            return Float.valueOf(s);
          default:
            break;
        }
      }
    } catch (NumberFormatException | DateTimeParseException | ArithmeticException notThatType) {
      return v;
    }
    return v;
  }

  private static Instant instant(String s) {
    try {
      return Instant.parse(s);
    } catch (DateTimeParseException e) {
      try {
        return OffsetDateTime.parse(s, OFFSET).toInstant();
      } catch (DateTimeParseException e2) {
        return LocalDateTime.parse(s.replace(' ', 'T')).toInstant(ZoneOffset.UTC);
      }
    }
  }
}
