package io.prophecy.sdk.spark.internal;

import java.util.ArrayList;
import java.util.List;

/**
 * Splits Spark SQL text into statements at top-level semicolons: not inside quotes ({@code '...'},
 * {@code "..."}, with backslash escapes as Spark reads them), back-quoted identifiers, {@code --}
 * comments or {@code /* *}{@code /} comments (nested, as Spark allows). Statements that hold only
 * blanks and comments are dropped.
 */
final class SqlStatements {
  private SqlStatements() {}

  static List<String> split(String sql) {
    List<String> out = new ArrayList<>();
    int n = sql.length();
    int start = 0;
    boolean content = false;
    int i = 0;
    while (i < n) {
      char c = sql.charAt(i);
      char next = i + 1 < n ? sql.charAt(i + 1) : '\0';
      if (c == '\'' || c == '"') {
        i = skipQuoted(sql, i, c, true);
        content = true;
      } else if (c == '`') {
        i = skipQuoted(sql, i, '`', false);
        content = true;
      } else if (c == '-' && next == '-') {
        int eol = sql.indexOf('\n', i);
        i = eol < 0 ? n : eol + 1;
      } else if (c == '/' && next == '*') {
        i = skipBlockComment(sql, i);
      } else if (c == ';') {
        add(out, sql.substring(start, i), content);
        start = i + 1;
        content = false;
        i++;
      } else {
        if (!Character.isWhitespace(c)) {
          content = true;
        }
        i++;
      }
    }
    add(out, sql.substring(start), content);
    return out;
  }

  private static void add(List<String> out, String statement, boolean content) {
    if (content) {
      out.add(statement.strip());
    }
  }

  /** The index after the closing quote (or the end of the text when it is not closed). */
  private static int skipQuoted(String sql, int open, char quote, boolean escapes) {
    int i = open + 1;
    while (i < sql.length()) {
      char c = sql.charAt(i);
      if (escapes && c == '\\') {
        i += 2;
      } else if (c == quote) {
        if (!escapes && i + 1 < sql.length() && sql.charAt(i + 1) == quote) {
          i += 2;
        } else {
          return i + 1;
        }
      } else {
        i++;
      }
    }
    return sql.length();
  }

  private static int skipBlockComment(String sql, int open) {
    int depth = 0;
    int i = open;
    while (i < sql.length()) {
      if (sql.startsWith("/*", i)) {
        depth++;
        i += 2;
      } else if (sql.startsWith("*/", i)) {
        depth--;
        i += 2;
        if (depth == 0) {
          return i;
        }
      } else {
        i++;
      }
    }
    return sql.length();
  }
}
