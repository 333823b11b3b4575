package io.prophecy.sdk.codegen;

import io.prophecy.sdk.InvalidInputException;
import io.prophecy.sdk.pipeline.Expression;
import io.prophecy.sdk.pipeline.GemSpec;
import io.prophecy.sdk.pipeline.GemSpec.Column;
import io.prophecy.sdk.pipeline.GemSpec.Order;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** What both generators decide the same way about a gem, and the errors they give when they cannot. */
final class GemRules {
  private GemRules() {}

  static InvalidInputException unsupported(CodeGraph.Node n) {
    return new InvalidInputException("gem '" + n.path() + "' component", "gem type '" + n.gem().component()
        + "' cannot be generated as code; supported: Source, Target, Reformat, Filter, Join, Aggregate, OrderBy, "
        + "Limit, Deduplicate, SetOperation, SchemaTransform, Repartition, WindowFunction, SQLStatement, Script, "
        + "Subgraph");
  }

  static InvalidInputException error(CodeGraph.Node n, String field, String message) {
    return new InvalidInputException("gem '" + n.path() + "'" + (field.isEmpty() ? "" : " " + field), message);
  }

  /** The parameter of the gem's first input. */
  static String in0(CodeGraph.Node n) {
    if (n.inputs().isEmpty()) {
      throw error(n, "in0", "a " + n.gem().component() + " gem needs an input");
    }
    return n.inputs().get(0).param();
  }

  static void atLeastTwoInputs(CodeGraph.Node n) {
    if (n.inputs().size() < 2) {
      throw error(n, "", "a " + n.gem().component() + " gem needs two or more inputs");
    }
  }

  /** The index of the join condition of the input with this slug. */
  static int conditionIndex(CodeGraph.Node n, GemSpec.Join j, String slug) {
    for (int i = 0; i < j.conditions().size(); i++) {
      if (j.conditions().get(i).alias().equals(slug)) {
        return i;
      }
    }
    throw error(n, "conditions", "input " + slug + " has no join condition");
  }

  /** The column name of a SQL expression that is a plain or back-quoted name, else null. */
  static String plainName(Expression e) {
    String t = e.text().trim();
    if (!e.isSql()) {
      return null;
    }
    if (CodeText.isIdentifier(t)) {
      return t;
    }
    if (t.length() > 2 && t.startsWith("`") && t.endsWith("`") && t.indexOf('`', 1) == t.length() - 1) {
      return t.substring(1, t.length() - 1);
    }
    return null;
  }

  static String target(CodeGraph.Node n, String field, Column c) {
    if (c.target().isBlank()) {
      throw error(n, field + ".target", "the output column has no name");
    }
    return c.target();
  }

  static void checkAggregate(CodeGraph.Node n, GemSpec.Aggregate a) {
    if (a.pivotColumn().isPresent() && a.aggregates().isEmpty()) {
      throw error(n, "aggregate", "a pivot needs at least one aggregate");
    }
    if (a.aggregates().isEmpty() && a.groupBy().isEmpty()) {
      throw error(n, "aggregate", "the gem neither groups nor aggregates");
    }
  }

  static void checkDedupKeys(CodeGraph.Node n, GemSpec.Deduplicate d) {
    if (d.columns().isEmpty()) {
      throw error(n, "dedupColumns", "deduplicating by " + d.type().spelling() + " needs key columns");
    }
  }

  /** Whether Deduplicate picks rows by its orders (first or last with an order given). */
  static boolean ordered(GemSpec.Deduplicate d) {
    return (d.type() == GemSpec.DedupType.FIRST || d.type() == GemSpec.DedupType.LAST) && !d.orders().isEmpty();
  }

  /** The orders that put the wanted row first: reversed for {@code last}. */
  static List<Order> dedupOrders(GemSpec.Deduplicate d) {
    if (d.type() != GemSpec.DedupType.LAST) {
      return d.orders();
    }
    return d.orders().stream().map(o -> new Order(o.expression(), reverse(o.sort()))).toList();
  }

  static GemSpec.SortType reverse(GemSpec.SortType s) {
    return switch (s) {
      case ASC -> GemSpec.SortType.DESC;
      case DESC -> GemSpec.SortType.ASC;
      case ASC_NULLS_LAST -> GemSpec.SortType.DESC_NULLS_FIRST;
      case DESC_NULLS_FIRST -> GemSpec.SortType.ASC_NULLS_LAST;
    };
  }

  static String repartitionMethod(GemSpec.Repartition r) {
    return switch (r.type()) {
      case COALESCE -> "coalesce";
      case RANGE -> "repartitionByRange";
      case HASH, RANDOM -> "repartition";
    };
  }

  /**
   * The arguments of the repartition call.
   *
   * @param keys the key columns as code
   */
  static List<String> repartitionArgs(CodeGraph.Node n, GemSpec.Repartition r, List<String> keys) {
    String count = r.partitions().map(p -> Integer.toString(p)).orElse(null);
    List<String> args = new ArrayList<>();
    if (count != null) {
      args.add(count);
    }
    switch (r.type()) {
      case COALESCE, RANDOM -> {
        if (count == null) {
          throw error(n, "nPartitions", r.type().spelling() + " needs a number of partitions");
        }
        return args;
      }
      case RANGE -> {
        if (keys.isEmpty()) {
          throw error(n, "expressions", "range partitioning needs key columns");
        }
        args.addAll(keys);
        return args;
      }
      default -> {
        args.addAll(keys);
        if (args.isEmpty()) {
          throw error(n, "nPartitions", "hash partitioning needs key columns or a number of partitions");
        }
        return args;
      }
    }
  }

  static void checkWindow(CodeGraph.Node n, GemSpec.WindowFunction w) {
    if (w.columns().isEmpty()) {
      throw error(n, "expressionColumns", "a WindowFunction gem needs at least one column");
    }
  }

  /** Whether a window column's expression brings its own {@code OVER (...)}. */
  static boolean hasOver(Expression e) {
    return e.isSql() && e.text().toLowerCase(Locale.ROOT).matches("(?s).*\\bover\\s*\\(.*");
  }

  /** Whether the window's frame can only be said in SQL. */
  static boolean frameNeedsSql(GemSpec.WindowFunction w) {
    return w.frame().filter(f -> !f.isBlank()).map(f -> WindowFrame.parse(f).isEmpty()).orElse(false);
  }

  /** A window column as SQL with the whole window: {@code e OVER (PARTITION BY ... ORDER BY ... frame)}. */
  static Expression withOver(CodeGraph.Node n, GemSpec.WindowFunction w, Column c) {
    List<String> parts = new ArrayList<>();
    List<String> partition = new ArrayList<>();
    for (int i = 0; i < w.partitionBy().size(); i++) {
      partition.add(sqlOnly(n, "partitionColumns[" + i + "]", w.partitionBy().get(i)));
    }
    if (!partition.isEmpty()) {
      parts.add("PARTITION BY " + String.join(", ", partition));
    }
    List<String> orders = new ArrayList<>();
    for (int i = 0; i < w.orderBy().size(); i++) {
      Order o = w.orderBy().get(i);
      orders.add(sqlOnly(n, "orderColumns[" + i + "].expression", o.expression()) + " " + o.sort().sql());
    }
    if (!orders.isEmpty()) {
      parts.add("ORDER BY " + String.join(", ", orders));
    }
    w.frame().ifPresent(parts::add);
    return Expression.sql(c.expression().text().trim() + " OVER (" + String.join(" ", parts) + ")");
  }

  private static String sqlOnly(CodeGraph.Node n, String field, Expression e) {
    if (!e.isSql()) {
      throw error(n, field, "is a " + e.format() + " expression; with this window frame the window is written "
          + "in SQL, so its expressions must be SQL");
    }
    return e.text().trim();
  }

  /** The statement of a SQLStatement gem without a trailing semicolon. */
  static String statement(CodeGraph.Node n, GemSpec.SqlStatement s) {
    String sql = s.sql().trim().replaceAll(";\\s*$", "");
    if (sql.isBlank()) {
      throw error(n, "sqlStatement", "the SQL statement is empty");
    }
    return sql;
  }

  /** The code of a Script gem in the language the project is generated in. */
  static String script(CodeGraph.Node n, GemSpec.Script s, String language, String otherProject) {
    if (!s.language().equalsIgnoreCase(language)) {
      throw error(n, "script", "holds " + s.language() + " code, which a " + otherProject + " project cannot run; "
          + "generate " + s.language() + " code for this pipeline");
    }
    if (s.code().isBlank()) {
      throw error(n, "script", "the script is empty");
    }
    return s.code().replace("\r\n", "\n").stripTrailing();
  }

  /** The output variables a Script gem's code assigns: its output port slugs. */
  static List<String> scriptOutputs(CodeGraph.Node n) {
    return n.outputs().stream().map(o -> CodeNames.sanitize(o.slug())).toList();
  }

  static String limitText(CodeGraph.Node n, Expression e) {
    String t = e.text().trim();
    if (t.isEmpty()) {
      throw error(n, "limit", "the limit is empty");
    }
    return t;
  }

  static InvalidInputException badLimit(CodeGraph.Node n, String text) {
    return error(n, "limit", "must be a whole number or refer to a configuration field, was '" + text + "'");
  }

  static InvalidInputException otherLanguage(CodeGraph.Node n, String field, Expression e, String project) {
    return error(n, field, "is a " + e.format() + " expression, which " + project + " code cannot run; generate "
        + e.format() + " code for this pipeline");
  }

  static String renameTarget(CodeGraph.Node n, String field, GemSpec.SchemaOp op) {
    return op.newName().filter(s -> !s.isBlank())
        .orElseThrow(() -> error(n, field + ".targetColumn", "the new name is empty"));
  }

  static void checkSchemaOp(CodeGraph.Node n, String field, GemSpec.SchemaOp op) {
    if (op.column().isBlank()) {
      throw error(n, field, "names no column");
    }
  }
}
