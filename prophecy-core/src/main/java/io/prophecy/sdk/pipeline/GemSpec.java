package io.prophecy.sdk.pipeline;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

/**
 * What a gem does: the typed form of the {@code properties} Prophecy stores for each gem type. Reading
 * is lenient (real projects spell some values several ways); writing uses Prophecy's shape.
 */
public sealed interface GemSpec {
  /** The gem type, as the workflow file's {@code component} names it. */
  String component();

  /** The properties in Prophecy's shape. */
  ObjectNode toProperties();

  /** A named output column: {@code target} computed by {@code expression}. */
  record Column(String target, Expression expression) {
    public Column {
      Objects.requireNonNull(target, "target");
      Objects.requireNonNull(expression, "expression");
    }

    public static Column of(String target, String sql) {
      return new Column(target, Expression.sql(sql));
    }

    ObjectNode toJson() {
      ObjectNode n = Json.object();
      n.put("target", target);
      n.set("expression", Json.expression(expression));
      n.put("description", "");
      return n;
    }

    static List<Column> parse(JsonNode props, String... fields) {
      List<Column> out = new ArrayList<>();
      for (JsonNode n : Json.list(props, fields)) {
        Expression e = Json.expression(n, "expression").orElse(Expression.sql(""));
        out.add(new Column(Json.text(n, "target", "name", "alias").orElse(""), e));
      }
      return out;
    }

    static ArrayNode toJson(List<Column> columns) {
      ArrayNode a = Json.array();
      columns.forEach(c -> a.add(c.toJson()));
      return a;
    }
  }

  /** A sort key. */
  record Order(Expression expression, SortType sort) {
    public Order {
      Objects.requireNonNull(expression, "expression");
      Objects.requireNonNull(sort, "sort");
    }

    static List<Order> parse(JsonNode props, String... fields) {
      List<Order> out = new ArrayList<>();
      for (JsonNode n : Json.list(props, fields)) {
        out.add(new Order(Json.expression(n, "expression").orElse(Expression.sql("")),
            SortType.parse(Json.text(n, "sortType", "sort").orElse("asc"))));
      }
      return out;
    }

    static ArrayNode toJson(List<Order> orders) {
      ArrayNode a = Json.array();
      for (Order o : orders) {
        ObjectNode n = a.addObject();
        n.set("expression", Json.expression(o.expression));
        n.put("sortType", o.sort.spelling());
      }
      return a;
    }
  }

  /** Sort directions, with Spark SQL's null ordering. */
  enum SortType {
    ASC("asc", "ASC"),
    DESC("desc", "DESC"),
    ASC_NULLS_LAST("asc_nulls_last", "ASC NULLS LAST"),
    DESC_NULLS_FIRST("desc_nulls_first", "DESC NULLS FIRST");

    private final String spelling;
    private final String sql;

    SortType(String spelling, String sql) {
      this.spelling = spelling;
      this.sql = sql;
    }

    public String spelling() {
      return spelling;
    }

    /** The Spark SQL words, such as {@code DESC NULLS FIRST}. */
    public String sql() {
      return sql;
    }

    static SortType parse(String s) {
      String k = s.toLowerCase(Locale.ROOT).replace(" ", "_").replace("-", "_");
      return switch (k) {
        case "desc", "descending" -> DESC;
        case "asc_nulls_last", "asc_null_last" -> ASC_NULLS_LAST;
        case "desc_nulls_first", "desc_null_first" -> DESC_NULLS_FIRST;
        case "asc", "ascending" -> ASC;
        default -> throw new IllegalArgumentException("'" + s + "' is not a sort type; use asc, desc, asc_nulls_last or desc_nulls_first");
      };
    }
  }

  /** Join types, with the spellings real projects use. */
  enum JoinType {
    INNER("inner", "INNER JOIN"),
    LEFT_OUTER("left_outer", "LEFT OUTER JOIN"),
    RIGHT_OUTER("right_outer", "RIGHT OUTER JOIN"),
    FULL_OUTER("full_outer", "FULL OUTER JOIN"),
    LEFT_SEMI("left_semi", "LEFT SEMI JOIN"),
    LEFT_ANTI("left_anti", "LEFT ANTI JOIN"),
    CROSS("cross", "CROSS JOIN");

    private final String spelling;
    private final String sql;

    JoinType(String spelling, String sql) {
      this.spelling = spelling;
      this.sql = sql;
    }

    public String spelling() {
      return spelling;
    }

    public String sql() {
      return sql;
    }

    /** Reads any spelling: {@code left_outer}, {@code leftouter}, {@code LEFT}, {@code leftanti}, ... */
    public static JoinType parse(String s) {
      String k = s.toLowerCase(Locale.ROOT).replace("_", "").replace(" ", "").replace("join", "");
      return switch (k) {
        case "inner", "" -> INNER;
        case "left", "leftouter" -> LEFT_OUTER;
        case "right", "rightouter" -> RIGHT_OUTER;
        case "full", "fullouter", "outer" -> FULL_OUTER;
        case "leftsemi", "semi" -> LEFT_SEMI;
        case "leftanti", "anti" -> LEFT_ANTI;
        case "cross" -> CROSS;
        default -> throw new IllegalArgumentException("'" + s + "' is not a join type; use inner, left_outer, "
            + "right_outer, full_outer, left_semi, left_anti or cross");
      };
    }
  }

  /** Reads a dataset. */
  record Source(String datasetId) implements GemSpec {
    public String component() {
      return "Source";
    }

    public ObjectNode toProperties() {
      ObjectNode n = Json.object();
      n.put("datasetId", datasetId);
      return n;
    }
  }

  /** Writes its input to a dataset. */
  record Target(String datasetId) implements GemSpec {
    public String component() {
      return "Target";
    }

    public ObjectNode toProperties() {
      ObjectNode n = Json.object();
      n.put("datasetId", datasetId);
      return n;
    }
  }

  /** Computes the output columns, one expression each. */
  record Reformat(List<Column> columns) implements GemSpec {
    public Reformat {
      columns = List.copyOf(columns);
    }

    public String component() {
      return "Reformat";
    }

    public ObjectNode toProperties() {
      ObjectNode n = Json.object();
      n.putArray("columnsSelector");
      n.set("expressions", Column.toJson(columns));
      return n;
    }
  }

  /** Keeps the rows for which the condition holds. */
  record Filter(Expression condition) implements GemSpec {
    public String component() {
      return "Filter";
    }

    public ObjectNode toProperties() {
      ObjectNode n = Json.object();
      n.putArray("columnsSelector");
      n.set("condition", Json.expression(condition));
      return n;
    }
  }

  /**
   * One joined input: the input's alias (its port slug, {@code in1} ...), how it joins and on what.
   */
  record JoinCondition(String alias, Expression on, JoinType type) {
    public JoinCondition {
      Objects.requireNonNull(alias, "alias");
      Objects.requireNonNull(on, "on");
      Objects.requireNonNull(type, "type");
    }
  }

  /**
   * Joins {@code in0} with each further input in turn. With no columns, the output is every column of
   * every input ({@code in0.*, in1.*, ...}); semi and anti joins keep the columns of what they join to.
   */
  record Join(List<JoinCondition> conditions, List<Column> columns, Optional<Expression> where) implements GemSpec {
    public Join {
      conditions = List.copyOf(conditions);
      columns = List.copyOf(columns);
    }

    public String component() {
      return "Join";
    }

    public ObjectNode toProperties() {
      ObjectNode n = Json.object();
      ArrayNode cs = n.putArray("conditions");
      for (JoinCondition c : conditions) {
        ObjectNode o = cs.addObject();
        o.put("alias", c.alias);
        o.set("expression", Json.expression(c.on));
        o.put("joinType", c.type.spelling());
      }
      n.set("expressions", Column.toJson(columns));
      n.put("activeTab", "conditions");
      n.putArray("columnsSelector");
      if (where.isPresent()) {
        n.set("whereClause", Json.expression(where.get()));
      } else {
        n.putNull("whereClause");
      }
      n.put("headAlias", "in0");
      return n;
    }
  }

  /**
   * Groups and aggregates. With no group-by columns, aggregates the whole input to one row. With a pivot
   * column, each pivot value becomes a column per aggregate.
   */
  record Aggregate(List<Column> groupBy, List<Column> aggregates, Optional<Expression> pivotColumn,
      List<String> pivotValues) implements GemSpec {
    public Aggregate {
      groupBy = List.copyOf(groupBy);
      aggregates = List.copyOf(aggregates);
      pivotValues = List.copyOf(pivotValues);
    }

    public String component() {
      return "Aggregate";
    }

    public ObjectNode toProperties() {
      ObjectNode n = Json.object();
      n.put("allIns", false);
      n.put("doPivot", pivotColumn.isPresent());
      n.set("aggregate", Column.toJson(aggregates));
      n.put("allowSelection", true);
      if (pivotColumn.isPresent()) {
        n.set("pivotColumn", Json.expression(pivotColumn.get()));
      } else {
        n.putNull("pivotColumn");
      }
      ArrayNode values = n.putArray("pivotValues");
      pivotValues.forEach(v -> values.addObject().put("pivotValue", v));
      n.put("activeTab", "aggregate");
      n.putArray("columnsSelector");
      n.set("groupBy", Column.toJson(groupBy));
      return n;
    }
  }

  /** Sorts. */
  record OrderBy(List<Order> orders) implements GemSpec {
    public OrderBy {
      orders = List.copyOf(orders);
    }

    public String component() {
      return "OrderBy";
    }

    public ObjectNode toProperties() {
      ObjectNode n = Json.object();
      n.putArray("columnsSelector");
      n.set("orders", Order.toJson(orders));
      return n;
    }
  }

  /** Keeps the first rows. The count is an expression so that it may name a configuration. */
  record Limit(Expression count) implements GemSpec {
    public String component() {
      return "Limit";
    }

    public ObjectNode toProperties() {
      ObjectNode n = Json.object();
      n.put("limit", count.text());
      return n;
    }
  }

  /** How Deduplicate chooses rows. */
  enum DedupType {
    /** Any one row per key. */
    ANY("any"),
    /** The first row per key by the order given. */
    FIRST("first"),
    /** The last row per key by the order given. */
    LAST("last"),
    /** Only rows whose key appears once. */
    UNIQUE_ONLY("unique_only"),
    /** Distinct whole rows. */
    DISTINCT("distinct");

    private final String spelling;

    DedupType(String spelling) {
      this.spelling = spelling;
    }

    public String spelling() {
      return spelling;
    }

    static DedupType parse(String s) {
      String k = s.toLowerCase(Locale.ROOT).replace("-", "_").replace(" ", "_");
      return switch (k) {
        case "any" -> ANY;
        case "first" -> FIRST;
        case "last" -> LAST;
        case "unique_only", "uniqueonly", "unique" -> UNIQUE_ONLY;
        case "distinct", "distinct_rows" -> DISTINCT;
        default -> throw new IllegalArgumentException("'" + s + "' is not a dedupType; use any, first, last, unique_only or distinct");
      };
    }
  }

  /** Removes duplicate rows by the given key columns (all columns for {@link DedupType#DISTINCT}). */
  record Deduplicate(DedupType type, List<String> columns, List<Order> orders) implements GemSpec {
    public Deduplicate {
      columns = List.copyOf(columns);
      orders = List.copyOf(orders);
    }

    public String component() {
      return "Deduplicate";
    }

    public ObjectNode toProperties() {
      ObjectNode n = Json.object();
      n.put("dedupType", type.spelling());
      ArrayNode cols = n.putArray("dedupColumns");
      columns.forEach(c -> cols.addObject().put("colName", c));
      n.put("useOrderBy", !orders.isEmpty());
      n.set("orders", Order.toJson(orders));
      return n;
    }
  }

  /** Set operations over two or more inputs. */
  enum SetOp {
    UNION_ALL("unionAll", "UNION ALL"),
    UNION_BY_NAME("unionByName", "UNION ALL BY NAME"),
    INTERSECT_ALL("intersectAll", "INTERSECT ALL"),
    EXCEPT_ALL("exceptAll", "EXCEPT ALL");

    private final String spelling;
    private final String sql;

    SetOp(String spelling, String sql) {
      this.spelling = spelling;
      this.sql = sql;
    }

    public String spelling() {
      return spelling;
    }

    public String sql() {
      return sql;
    }

    static SetOp parse(String s) {
      String k = s.toLowerCase(Locale.ROOT).replace("_", "").replace(" ", "");
      return switch (k) {
        case "unionall", "union" -> UNION_ALL;
        case "unionbyname" -> UNION_BY_NAME;
        case "intersectall", "intersect" -> INTERSECT_ALL;
        case "exceptall", "except", "minus" -> EXCEPT_ALL;
        default -> throw new IllegalArgumentException("'" + s + "' is not an operationType; use unionAll, unionByName, intersectAll or exceptAll");
      };
    }
  }

  /** Combines its inputs by rows. */
  record SetOperation(SetOp operation, boolean allowMissingColumns) implements GemSpec {
    public String component() {
      return "SetOperation";
    }

    public ObjectNode toProperties() {
      ObjectNode n = Json.object();
      n.put("operationType", operation.spelling());
      n.put("allowMissingColumns", allowMissingColumns);
      return n;
    }
  }

  /** One step of a SchemaTransform. */
  record SchemaOp(Kind kind, String column, Optional<Expression> expression, Optional<String> newName) {
    /** Kinds of schema steps, as Prophecy names them. */
    public enum Kind {
      ADD_REPLACE("AddReplaceColumn"),
      DROP("DropColumn"),
      RENAME("RenameColumn");

      private final String spelling;

      Kind(String spelling) {
        this.spelling = spelling;
      }

      public String spelling() {
        return spelling;
      }
    }

    public SchemaOp {
      Objects.requireNonNull(kind, "kind");
      Objects.requireNonNull(column, "column");
    }
  }

  /** Adds, replaces, drops and renames columns in order, keeping the rest. */
  record SchemaTransform(List<SchemaOp> operations) implements GemSpec {
    public SchemaTransform {
      operations = List.copyOf(operations);
    }

    public String component() {
      return "SchemaTransform";
    }

    public ObjectNode toProperties() {
      ObjectNode n = Json.object();
      n.putArray("columnsSelector");
      ArrayNode ops = n.putArray("transformations");
      for (SchemaOp op : operations) {
        ObjectNode o = ops.addObject();
        o.put("kind", op.kind().spelling());
        boolean add = op.kind() == SchemaOp.Kind.ADD_REPLACE;
        boolean drop = op.kind() == SchemaOp.Kind.DROP;
        boolean rename = op.kind() == SchemaOp.Kind.RENAME;
        ObjectNode addBody = o.putObject(SchemaOp.Kind.ADD_REPLACE.spelling());
        addBody.put("sourceColumn", add ? op.column() : "");
        addBody.set("expression", Json.expression(add ? op.expression().orElse(Expression.sql("")) : Expression.sql("")));
        o.putObject(SchemaOp.Kind.DROP.spelling()).put("sourceColumn", drop ? op.column() : "");
        ObjectNode renameBody = o.putObject(SchemaOp.Kind.RENAME.spelling());
        renameBody.put("sourceColumn", rename ? op.column() : "");
        renameBody.put("targetColumn", rename ? op.newName().orElse("") : "");
      }
      return n;
    }
  }

  /** How Repartition spreads rows. */
  enum RepartitionType {
    COALESCE("coalesce"),
    HASH("hash_partitioning"),
    RANGE("range_partitioning"),
    RANDOM("random_partitioning");

    private final String spelling;

    RepartitionType(String spelling) {
      this.spelling = spelling;
    }

    public String spelling() {
      return spelling;
    }

    static RepartitionType parse(String s) {
      String k = s.toLowerCase(Locale.ROOT);
      if (k.startsWith("coalesce")) {
        return COALESCE;
      } else if (k.startsWith("hash")) {
        return HASH;
      } else if (k.startsWith("range")) {
        return RANGE;
      } else if (k.startsWith("random") || k.startsWith("round")) {
        return RANDOM;
      }
      throw new IllegalArgumentException("'" + s + "' is not a repartitionType; use coalesce, hash, range or random");
    }
  }

  /** Changes the partitioning; rows are unchanged. */
  record Repartition(RepartitionType type, Optional<Integer> partitions, List<Expression> keys) implements GemSpec {
    public Repartition {
      keys = List.copyOf(keys);
    }

    public String component() {
      return "Repartition";
    }

    public ObjectNode toProperties() {
      ObjectNode n = Json.object();
      n.put("repartitionType", type.spelling());
      partitions.ifPresentOrElse(p -> n.put("nPartitions", p), () -> n.putNull("nPartitions"));
      ArrayNode k = n.putArray("expressions");
      keys.forEach(e -> k.addObject().set("expression", Json.expression(e)));
      return n;
    }
  }

  /** Window functions over partitions: each column is a window expression, such as {@code row_number()}. */
  record WindowFunction(List<Expression> partitionBy, List<Order> orderBy, List<Column> columns,
      Optional<String> frame) implements GemSpec {
    public WindowFunction {
      partitionBy = List.copyOf(partitionBy);
      orderBy = List.copyOf(orderBy);
      columns = List.copyOf(columns);
    }

    public String component() {
      return "WindowFunction";
    }

    public ObjectNode toProperties() {
      ObjectNode n = Json.object();
      ArrayNode p = n.putArray("partitionColumns");
      partitionBy.forEach(e -> p.add(Json.expression(e)));
      n.set("orderColumns", Order.toJson(orderBy));
      n.set("expressionColumns", Column.toJson(columns));
      n.put("specifyFrame", frame.isPresent());
      frame.ifPresent(f -> n.put("frame", f));
      return n;
    }
  }

  /** A SQL query over the inputs, which it names by their port slugs ({@code in0}, {@code in1}, ...). */
  record SqlStatement(String sql) implements GemSpec {
    public String component() {
      return "SQLStatement";
    }

    public ObjectNode toProperties() {
      ObjectNode n = Json.object();
      ArrayNode statements = n.putArray("sqlStatement");
      ObjectNode s = statements.addObject();
      s.put("name", "out");
      s.put("statement", sql);
      return n;
    }
  }

  /** Free code in the project's language, run on the inputs {@code in0 ...}; not Spark SQL. */
  record Script(String language, String code) implements GemSpec {
    public String component() {
      return "Script";
    }

    public ObjectNode toProperties() {
      ObjectNode n = Json.object();
      n.put("script", code);
      if (language.equals("scala")) {
        n.put("scriptMethodHeader", "def apply(spark: SparkSession, in0: DataFrame): DataFrame = {");
        n.put("scriptMethodFooter", "    out0\n}");
      } else {
        n.put("scriptMethodHeader", "def Script(spark: SparkSession, in0: DataFrame) -> DataFrame:");
        n.put("scriptMethodFooter", "    return out0");
      }
      return n;
    }
  }

  /** A nested graph of gems, shown as one gem. */
  record Subgraph() implements GemSpec {
    public String component() {
      return "Subgraph";
    }

    public ObjectNode toProperties() {
      return Json.object();
    }
  }

  /**
   * A gem type the SDK does not compile ({@code Todo}, {@code FlattenSchema}, a custom gem ...). Its
   * properties are kept as they are; validation reports it.
   */
  record Other(String component, ObjectNode properties) implements GemSpec {
    public ObjectNode toProperties() {
      return properties.deepCopy();
    }
  }
}
