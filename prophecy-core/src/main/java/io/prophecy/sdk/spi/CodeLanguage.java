package io.prophecy.sdk.spi;

import java.util.Objects;
import java.util.Optional;

/**
 * The language a session takes, with the SQL dialect where it takes SQL.
 *
 * @param kind the language
 * @param dialect the SQL dialect, such as {@code spark} or {@code snowflake}; empty for Python and Scala
 */
public record CodeLanguage(Kind kind, Optional<String> dialect) {
  /** The languages code can be written in. */
  public enum Kind {
    SQL,
    PYTHON,
    SCALA
  }

  public CodeLanguage {
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(dialect, "dialect");
    if (kind == Kind.SQL && dialect.isEmpty()) {
      throw new IllegalArgumentException("a SQL language needs a dialect, such as spark");
    }
  }

  public static CodeLanguage sql(String dialect) {
    return new CodeLanguage(Kind.SQL, Optional.of(dialect));
  }

  public static CodeLanguage python() {
    return new CodeLanguage(Kind.PYTHON, Optional.empty());
  }

  public static CodeLanguage scala() {
    return new CodeLanguage(Kind.SCALA, Optional.empty());
  }

  @Override
  public String toString() {
    return dialect.map(d -> kind + "(" + d + ")").orElse(kind.toString());
  }
}
