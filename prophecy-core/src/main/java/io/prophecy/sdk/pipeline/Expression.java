package io.prophecy.sdk.pipeline;

import java.util.Locale;
import java.util.Objects;

/**
 * An expression as Prophecy stores it: its text and the language it is written in. Most are Spark SQL
 * ({@code format = "sql"}); projects also hold {@code python} and {@code scala} expressions, which only
 * code generated in that language can run.
 *
 * @param format {@code sql}, {@code python} or {@code scala}
 * @param text the expression, such as {@code sum(amount)}
 */
public record Expression(String format, String text) {
  public Expression {
    Objects.requireNonNull(format, "format");
    Objects.requireNonNull(text, "text");
    format = format.toLowerCase(Locale.ROOT);
  }

  /** A Spark SQL expression. */
  public static Expression sql(String text) {
    return new Expression("sql", text);
  }

  public boolean isSql() {
    return format.equals("sql");
  }

  public boolean isBlank() {
    return text.isBlank();
  }

  @Override
  public String toString() {
    return isSql() ? text : format + ":" + text;
  }
}
