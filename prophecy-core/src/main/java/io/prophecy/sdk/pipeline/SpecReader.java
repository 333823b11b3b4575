package io.prophecy.sdk.pipeline;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.prophecy.sdk.pipeline.GemSpec.Column;
import io.prophecy.sdk.pipeline.GemSpec.JoinCondition;
import io.prophecy.sdk.pipeline.GemSpec.Order;
import io.prophecy.sdk.pipeline.GemSpec.SchemaOp;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Reads a gem's {@code properties} into its {@link GemSpec}, accepting the variants real projects hold. */
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
    JsonNode p = props == null ? Json.object() : props;
    try {
      return switch (component) {
        case "Source" -> new GemSpec.Source(Json.text(p, "datasetId").orElse(""));
        case "Target" -> new GemSpec.Target(Json.text(p, "datasetId").orElse(""));
        case "Reformat" -> new GemSpec.Reformat(Column.parse(p, "expressions"));
        case "Filter" -> new GemSpec.Filter(Json.expression(p, "condition").orElse(Expression.sql("")));
        case "Join" -> join(p);
        case "Aggregate" -> aggregate(p);
        case "OrderBy" -> new GemSpec.OrderBy(orders(p, "orders"));
        case "Limit" -> new GemSpec.Limit(Json.expression(p, "limit").orElse(Expression.sql("")));
        case "Deduplicate" -> deduplicate(p);
        case "SetOperation" -> new GemSpec.SetOperation(
            parse("operationType", () -> GemSpec.SetOp.parse(Json.text(p, "operationType").orElse("unionAll"))),
            Json.bool(p, "allowMissingColumns"));
        case "SchemaTransform" -> schemaTransform(p);
        case "Repartition" -> repartition(p);
        case "WindowFunction" -> window(p);
        case "SQLStatement" -> sqlStatement(p);
        case "Script" -> new GemSpec.Script(Json.text(p, "language").orElse("python"),
            Json.text(p, "script", "code").orElse(""));
        case "Subgraph" -> new GemSpec.Subgraph();
        default -> new GemSpec.Other(component, p.isObject() ? ((ObjectNode) p).deepCopy() : Json.object());
      };
    } catch (IllegalArgumentException e) {
      throw new BadProperty("properties", e.getMessage());
    }
  }

  private static <T> T parse(String field, java.util.function.Supplier<T> f) {
    try {
      return f.get();
    } catch (IllegalArgumentException e) {
      throw new BadProperty(field, e.getMessage());
    }
  }

  private static List<Order> orders(JsonNode p, String field) {
    return parse(field, () -> Order.parse(p, field));
  }

  private static GemSpec join(JsonNode p) {
    List<JoinCondition> conditions = new ArrayList<>();
    List<JsonNode> list = Json.list(p, "conditions");
    for (int i = 0; i < list.size(); i++) {
      JsonNode c = list.get(i);
      int index = i;
      GemSpec.JoinType type = parse("conditions[" + i + "].joinType",
          () -> GemSpec.JoinType.parse(Json.text(c, "joinType").orElse("inner")));
      conditions.add(new JoinCondition(Json.text(c, "alias").orElse("in" + (index + 1)),
          Json.expression(c, "expression").orElse(Expression.sql("")), type));
    }
    return new GemSpec.Join(conditions, Column.parse(p, "expressions"), Json.expression(p, "whereClause")
        .filter(e -> !e.isBlank()));
  }

  private static GemSpec aggregate(JsonNode p) {
    boolean pivot = Json.bool(p, "doPivot");
    List<String> values = new ArrayList<>();
    for (JsonNode v : Json.list(p, "pivotValues")) {
      values.add(v.isValueNode() ? v.asText() : Json.text(v, "pivotValue", "value").orElse(""));
    }
    Optional<Expression> column = pivot ? Json.expression(p, "pivotColumn") : Optional.empty();
    return new GemSpec.Aggregate(Column.parse(p, "groupBy"), Column.parse(p, "aggregate", "aggregates"), column,
        pivot ? values : List.of());
  }

  private static GemSpec deduplicate(JsonNode p) {
    GemSpec.DedupType type = parse("dedupType", () -> GemSpec.DedupType.parse(Json.text(p, "dedupType").orElse("any")));
    List<String> columns = new ArrayList<>();
    for (JsonNode c : Json.list(p, "dedupColumns", "columns")) {
      columns.add(c.isValueNode() ? c.asText()
          : Json.text(c, "colName", "name").or(() -> Json.expression(c, "expression").map(Expression::text)).orElse(""));
    }
    boolean ordered = !p.has("useOrderBy") || Json.bool(p, "useOrderBy");
    return new GemSpec.Deduplicate(type, columns, ordered ? orders(p, "orders") : List.of());
  }

  private static GemSpec schemaTransform(JsonNode p) {
    List<SchemaOp> ops = new ArrayList<>();
    List<JsonNode> list = Json.list(p, "transformations", "operations");
    for (int i = 0; i < list.size(); i++) {
      JsonNode t = list.get(i);
      String kind = Json.text(t, "kind").orElse("");
      JsonNode body = t.has(kind) && t.get(kind).isObject() ? t.get(kind) : t;
      String field = "transformations[" + i + "]";
      switch (kind) {
        case "AddReplaceColumn" -> ops.add(new SchemaOp(SchemaOp.Kind.ADD_REPLACE,
            Json.text(body, "targetColumn", "columnName", "column").orElse(""),
            Optional.of(Json.expression(body, "expression").orElse(Expression.sql(""))), Optional.empty()));
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
    GemSpec.RepartitionType type = parse("repartitionType",
        () -> GemSpec.RepartitionType.parse(Json.text(p, "repartitionType").orElse("random_partitioning")));
    Optional<Integer> n = Json.field(p, "nPartitions").map(v -> v.isObject()
        ? Integer.parseInt(Json.expression(v).map(Expression::text).orElse("0").trim())
        : v.asInt());
    List<Expression> keys = new ArrayList<>();
    for (JsonNode k : Json.list(p, "expressions", "partitionColumns")) {
      Json.expression(k).ifPresent(keys::add);
    }
    return new GemSpec.Repartition(type, n, keys);
  }

  private static GemSpec window(JsonNode p) {
    List<Expression> partitionBy = new ArrayList<>();
    for (JsonNode k : Json.list(p, "partitionColumns")) {
      Json.expression(k).ifPresent(partitionBy::add);
    }
    return new GemSpec.WindowFunction(partitionBy, orders(p, "orderColumns"), Column.parse(p, "expressionColumns"),
        Json.bool(p, "specifyFrame") ? Json.text(p, "frame") : Optional.empty());
  }

  private static GemSpec sqlStatement(JsonNode p) {
    Optional<JsonNode> statements = Json.field(p, "sqlStatement", "statements", "sql");
    if (statements.isPresent() && statements.get().isArray() && statements.get().size() > 0) {
      JsonNode first = statements.get().get(0);
      return new GemSpec.SqlStatement(first.isValueNode() ? first.asText()
          : Json.text(first, "statement", "sql", "query").orElse(""));
    }
    return new GemSpec.SqlStatement(statements.filter(JsonNode::isValueNode).map(JsonNode::asText).orElse(""));
  }
}
