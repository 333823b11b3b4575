package io.prophecy.sdk.pipeline;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.prophecy.sdk.pipeline.GemSpec.Column;
import io.prophecy.sdk.pipeline.GemSpec.JoinCondition;
import io.prophecy.sdk.pipeline.GemSpec.Order;
import io.prophecy.sdk.pipeline.GemSpec.SchemaOp;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * Reads a gem's {@code properties} into its {@link GemSpec}, accepting the variants real projects hold
 * (see docs/workflow-format-notes.md): join types spelled several ways, a Limit stored as a string,
 * SchemaTransform steps naming their column {@code sourceColumn}, Script gems without a language, and
 * so on. A value it cannot read is a {@link BadProperty} naming the field, which the workflow reader
 * turns into a diagnostic; it never fails on a missing key.
 */
final class SpecReader {
  /** A property that cannot be read, with the field path it was found at. */
  static final class BadProperty extends RuntimeException {
    final String field;

    BadProperty(String field, String message) {
      super(message);
      this.field = field;
    }
  }

  private SpecReader() {}

  static GemSpec read(String component, JsonNode props) {
    return read(component, props, "python");
  }

  /**
   * @param language the pipeline's language ({@code metainfo.language}), which a Script gem is written in
   *     unless it says otherwise
   */
  static GemSpec read(String component, JsonNode props, String language) {
    JsonNode p = props == null || !props.isObject() ? Json.object() : props;
    return switch (component) {
      case "Source" -> new GemSpec.Source(Json.text(p, "datasetId").orElse(""));
      case "Target" -> new GemSpec.Target(Json.text(p, "datasetId").orElse(""));
      case "Reformat" -> new GemSpec.Reformat(columns(p, "expressions", "columns"));
      case "Filter" -> new GemSpec.Filter(expression(p, "condition"));
      case "Join" -> join(p);
      case "Aggregate" -> aggregate(p);
      case "OrderBy" -> new GemSpec.OrderBy(orders(p, "orders"));
      case "Limit" -> new GemSpec.Limit(expression(p, "limit"));
      case "Deduplicate" -> deduplicate(p);
      case "SetOperation" -> setOperation(p);
      case "SchemaTransform" -> schemaTransform(p);
      case "Repartition" -> repartition(p);
      case "WindowFunction" -> window(p);
      case "SQLStatement" -> sqlStatement(p);
      case "Script" -> new GemSpec.Script(Json.text(p, "language").orElse(language),
          Json.text(p, "script", "code").orElse(""));
      case "Subgraph" -> new GemSpec.Subgraph();
      default -> new GemSpec.Other(component, ((ObjectNode) p).deepCopy());
    };
  }

  /** Runs a parse, turning an unreadable value into a {@link BadProperty} at {@code field}. */
  private static <T> T at(String field, Supplier<T> f) {
    try {
      return f.get();
    } catch (BadProperty e) {
      throw e;
    } catch (RuntimeException e) {
      throw new BadProperty(field, e.getMessage() == null ? "cannot be read" : e.getMessage());
    }
  }

  private static Expression expression(JsonNode node, String field) {
    return at(field, () -> Json.expression(node, field).orElse(Expression.sql("")));
  }

  private static List<Column> columns(JsonNode p, String... fields) {
    String field = first(p, fields);
    List<Column> out = new ArrayList<>();
    List<JsonNode> list = Json.list(p, fields);
    for (int i = 0; i < list.size(); i++) {
      JsonNode n = list.get(i);
      String at = field + "[" + i + "]";
      if (n.isValueNode()) {
        out.add(Column.of(n.asText(), n.asText()));
        continue;
      }
      Expression e = at(at + ".expression", () -> Json.expression(n, "expression").orElse(Expression.sql("")));
      out.add(new Column(Json.text(n, "target", "name", "alias").orElse(""), e));
    }
    return out;
  }

  private static String first(JsonNode p, String... fields) {
    for (String f : fields) {
      if (Json.field(p, f).isPresent()) {
        return f;
      }
    }
    return fields[0];
  }

  private static List<Order> orders(JsonNode p, String field) {
    List<Order> out = new ArrayList<>();
    List<JsonNode> list = Json.list(p, field);
    for (int i = 0; i < list.size(); i++) {
      JsonNode n = list.get(i);
      String at = field + "[" + i + "]";
      Expression e = n.isValueNode() ? Expression.sql(n.asText())
          : at(at + ".expression", () -> Json.expression(n, "expression").orElse(Expression.sql("")));
      String sort = n.isValueNode() ? "asc" : Json.text(n, "sortType", "sort", "direction").orElse("asc");
      out.add(new Order(e, at(at + ".sortType", () -> sortType(sort))));
    }
    return out;
  }

  /** Spark's defaults make {@code asc_nulls_first} plain ascending and {@code desc_nulls_last} plain descending. */
  private static GemSpec.SortType sortType(String s) {
    String k = s.toLowerCase(Locale.ROOT).replace(" ", "_").replace("-", "_");
    return switch (k) {
      case "asc_nulls_first", "asc_null_first" -> GemSpec.SortType.ASC;
      case "desc_nulls_last", "desc_null_last" -> GemSpec.SortType.DESC;
      default -> GemSpec.SortType.parse(s);
    };
  }

  private static GemSpec join(JsonNode p) {
    List<JoinCondition> conditions = new ArrayList<>();
    List<JsonNode> list = Json.list(p, "conditions");
    for (int i = 0; i < list.size(); i++) {
      JsonNode c = list.get(i);
      String at = "conditions[" + i + "]";
      String spelled = Json.text(c, "joinType", "type").orElse("inner");
      GemSpec.JoinType type = at(at + ".joinType", () -> GemSpec.JoinType.parse(spelled));
      Expression on = at(at + ".expression", () -> Json.expression(c, "expression").orElse(Expression.sql("")));
      conditions.add(new JoinCondition(Json.text(c, "alias").orElse("in" + (i + 1)), on, type));
    }
    Optional<Expression> where = at("whereClause", () -> Json.expression(p, "whereClause")).filter(e -> !e.isBlank());
    return new GemSpec.Join(conditions, columns(p, "expressions"), where);
  }

  private static GemSpec aggregate(JsonNode p) {
    boolean pivot = Json.bool(p, "doPivot");
    List<String> values = new ArrayList<>();
    for (JsonNode v : Json.list(p, "pivotValues")) {
      values.add(v.isValueNode() ? v.asText() : Json.text(v, "pivotValue", "value").orElse(""));
    }
    Optional<Expression> column = pivot ? at("pivotColumn", () -> Json.expression(p, "pivotColumn")) : Optional.empty();
    return new GemSpec.Aggregate(columns(p, "groupBy"), columns(p, "aggregate", "aggregates"), column,
        pivot ? values : List.of());
  }

  private static GemSpec deduplicate(JsonNode p) {
    String spelled = Json.text(p, "dedupType", "mode").orElse("any");
    GemSpec.DedupType type = at("dedupType", () -> GemSpec.DedupType.parse(spelled));
    List<String> columns = new ArrayList<>();
    for (JsonNode c : Json.list(p, "dedupColumns", "columns")) {
      columns.add(c.isValueNode() ? c.asText()
          : Json.text(c, "colName", "name").or(() -> Json.expression(c, "expression").map(Expression::text)).orElse(""));
    }
    boolean ordered = !p.has("useOrderBy") || Json.bool(p, "useOrderBy");
    return new GemSpec.Deduplicate(type, columns, ordered ? orders(p, "orders") : List.of());
  }

  private static GemSpec setOperation(JsonNode p) {
    String spelled = Json.text(p, "operationType", "operation", "setOperation").orElse("unionAll");
    return new GemSpec.SetOperation(at("operationType", () -> GemSpec.SetOp.parse(spelled)),
        Json.bool(p, "allowMissingColumns"));
  }

  private static GemSpec schemaTransform(JsonNode p) {
    List<SchemaOp> ops = new ArrayList<>();
    List<JsonNode> list = Json.list(p, "transformations", "operations");
    for (int i = 0; i < list.size(); i++) {
      JsonNode t = list.get(i);
      String kind = Json.text(t, "kind").orElse("");
      // Real files carry a body for every kind (the unused ones empty); only the one the kind names counts.
      JsonNode body = t.has(kind) && t.get(kind).isObject() ? t.get(kind) : t;
      String field = "transformations[" + i + "]";
      switch (kind) {
        case "AddReplaceColumn" -> ops.add(new SchemaOp(SchemaOp.Kind.ADD_REPLACE,
            Json.text(body, "sourceColumn", "targetColumn", "columnName", "column").orElse(""),
            Optional.of(at(field + ".expression", () -> Json.expression(body, "expression").orElse(Expression.sql("")))),
            Optional.empty()));
        case "DropColumn" -> ops.add(new SchemaOp(SchemaOp.Kind.DROP,
            Json.text(body, "sourceColumn", "columnName", "column").orElse(""), Optional.empty(), Optional.empty()));
        case "RenameColumn" -> ops.add(new SchemaOp(SchemaOp.Kind.RENAME,
            Json.text(body, "sourceColumn", "columnName", "column").orElse(""), Optional.empty(),
            Json.text(body, "targetColumn", "newName")));
        default -> throw new BadProperty(field + ".kind", "'" + kind + "' is not a schema operation this SDK "
            + "compiles; use AddReplaceColumn, DropColumn or RenameColumn");
      }
    }
    return new GemSpec.SchemaTransform(ops);
  }

  private static GemSpec repartition(JsonNode p) {
    String spelled = Json.text(p, "repartitionType", "type").orElse("random_partitioning");
    GemSpec.RepartitionType type = at("repartitionType", () -> GemSpec.RepartitionType.parse(spelled));
    Optional<Integer> n = Json.field(p, "nPartitions", "numPartitions").map(SpecReader::partitions);
    List<Expression> keys = new ArrayList<>();
    for (JsonNode k : Json.list(p, "expressions", "partitionColumns")) {
      Json.expression(k).ifPresent(keys::add);
    }
    return new GemSpec.Repartition(type, n, keys);
  }

  private static Integer partitions(JsonNode v) {
    String text = v.isValueNode() ? v.asText() : Json.expression(v).map(Expression::text).orElse("");
    try {
      return new BigDecimal(text.trim()).intValueExact();
    } catch (ArithmeticException | NumberFormatException e) {
      throw new BadProperty("nPartitions", "'" + text + "' is not a whole number of partitions");
    }
  }

  private static GemSpec window(JsonNode p) {
    List<Expression> partitionBy = new ArrayList<>();
    for (JsonNode k : Json.list(p, "partitionColumns")) {
      Json.expression(k).ifPresent(partitionBy::add);
    }
    return new GemSpec.WindowFunction(partitionBy, orders(p, "orderColumns"), columns(p, "expressionColumns"),
        Json.bool(p, "specifyFrame") ? Json.text(p, "frame") : Optional.empty());
  }

  private static GemSpec sqlStatement(JsonNode p) {
    Optional<JsonNode> statements = Json.field(p, "sqlStatement", "statements", "sql", "query");
    if (statements.isPresent() && statements.get().isArray() && statements.get().size() > 0) {
      JsonNode first = statements.get().get(0);
      return new GemSpec.SqlStatement(first.isValueNode() ? first.asText()
          : Json.text(first, "statement", "sql", "query").orElse(""));
    }
    return new GemSpec.SqlStatement(statements.filter(JsonNode::isValueNode).map(JsonNode::asText).orElse(""));
  }
}
