package io.prophecy.sdk.pipeline;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.prophecy.sdk.Dataset;
import io.prophecy.sdk.pipeline.GemSpec.Column;
import io.prophecy.sdk.pipeline.GemSpec.JoinCondition;
import io.prophecy.sdk.pipeline.GemSpec.JoinType;
import io.prophecy.sdk.pipeline.GemSpec.Order;
import io.prophecy.sdk.pipeline.GemSpec.SchemaOp;
import io.prophecy.sdk.pipeline.GemSpec.SortType;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.Consumer;
import java.util.regex.Pattern;

/**
 * Builds a pipeline in Java, gem by gem. Each gem is named (its label, unique in the pipeline) and
 * names the gems it reads from; expressions are Spark SQL. The graph it builds is the one the workflow
 * file of the same pipeline describes. Not thread-safe; {@link #build()} may be called more than once.
 *
 * <pre>{@code
 * PipelineGraph daily = PipelineGraph.of("daily_revenue", p -> p
 *     .source("Orders", "orders")
 *     .source("Customers", "customers")
 *     .join("With_Customer", "Orders", "Customers", "in0.customer_id = in1.id")
 *     .aggregate("By_Country", "With_Customer", a -> a.groupBy("country").agg("revenue", "sum(amount)"))
 *     .target("Revenue", "By_Country", "revenue"));
 * }</pre>
 */
public final class PipelineBuilder {
  private static final Pattern NAME = Pattern.compile("[A-Za-z][A-Za-z0-9_]{0,127}");

  private record Pending(String name, GemSpec spec, List<String> from, Optional<PipelineGraph> subgraph) {}

  private final String name;
  private final Map<String, Pending> gems = new LinkedHashMap<>();
  private final List<Configuration.Field> fields = new ArrayList<>();
  private final Map<String, Map<String, String>> instances = new TreeMap<>();
  private String language = "python";
  private final List<String> subgraphInputs;
  private String subgraphOutput;

  PipelineBuilder(String name) {
    this(name, List.of());
  }

  private PipelineBuilder(String name, List<String> subgraphInputs) {
    this.name = Objects.requireNonNull(name, "name");
    this.subgraphInputs = subgraphInputs;
  }

  /** The language of the code generated for the pipeline: {@code python} (the default) or {@code scala}. */
  public PipelineBuilder language(String language) {
    if (!language.equals("python") && !language.equals("scala")) {
      throw new IllegalArgumentException("language must be python or scala, was '" + language + "'");
    }
    this.language = language;
    return this;
  }

  /** Declares a configuration field with its default value; expressions use it as {@code '$name'}. */
  public PipelineBuilder config(String field, String type, String defaultValue) {
    check(field, "configuration field");
    fields.add(new Configuration.Field(field, type, Optional.ofNullable(defaultValue)));
    return this;
  }

  /** A named configuration instance that overrides field values. */
  public PipelineBuilder configInstance(String instance, Map<String, String> values) {
    instances.put(instance, Map.copyOf(values));
    return this;
  }

  /** Reads a dataset, by name ({@code orders}) or id ({@code datasets/orders}). */
  public PipelineBuilder source(String gem, String dataset) {
    return add(gem, new GemSpec.Source(datasetId(dataset)), List.of());
  }

  public PipelineBuilder source(String gem, Dataset dataset) {
    return source(gem, dataset.name());
  }

  /** Writes the output of {@code from} to a dataset. */
  public PipelineBuilder target(String gem, String from, String dataset) {
    return add(gem, new GemSpec.Target(datasetId(dataset)), List.of(from));
  }

  public PipelineBuilder target(String gem, String from, Dataset dataset) {
    return target(gem, from, dataset.name());
  }

  /** Computes new columns: {@code r -> r.column("total", "price * quantity")}. */
  public PipelineBuilder reformat(String gem, String from, Consumer<Columns> columns) {
    Columns c = new Columns();
    columns.accept(c);
    return add(gem, new GemSpec.Reformat(c.list), List.of(from));
  }

  /** The name a column passed through keeps: {@code in1.`order id`} is {@code order id}. */
  static String ownName(String column) {
    String c = column.trim();
    int part = 0; // where the last dotted part starts
    for (int i = 0; i < c.length(); i++) {
      if (c.charAt(i) == '`') {
        int close = i + 1;
        while (close < c.length() && !(c.charAt(close) == '`' && (close + 1 == c.length() || c.charAt(close + 1) != '`'))) {
          close += c.charAt(close) == '`' ? 2 : 1;
        }
        if (close >= c.length() - 1 && i == part) {
          return close < c.length() ? c.substring(i + 1, close).replace("``", "`") : c.substring(part);
        }
        i = close;
      } else if (c.charAt(i) == '.') {
        part = i + 1;
      }
    }
    return c.substring(part).trim();
  }

  /** Selects columns by expression, each named by its text: {@code select("Slim", "In", "id", "upper(name) AS name")}. */
  public PipelineBuilder select(String gem, String from, String... columns) {
    return reformat(gem, from, r -> {
      for (String c : columns) {
        String[] asSplit = c.split("(?i)\\s+AS\\s+");
        if (asSplit.length == 2) {
          r.column(asSplit[1].trim(), asSplit[0].trim());
        } else {
          r.column(ownName(c), c.trim());
        }
      }
    });
  }

  public PipelineBuilder filter(String gem, String from, String condition) {
    return add(gem, new GemSpec.Filter(Expression.sql(condition)), List.of(from));
  }

  /** An inner join of two inputs, keeping every column of both. */
  public PipelineBuilder join(String gem, String left, String right, String condition) {
    return join(gem, List.of(left, right), j -> j.on("in1", condition, JoinType.INNER));
  }

  /**
   * A join of two or more inputs. Inputs are named in SQL by their slugs: {@code in0} is the first,
   * {@code in1} the second, and so on; each input after the first needs an {@link Joins#on} condition.
   */
  public PipelineBuilder join(String gem, List<String> inputs, Consumer<Joins> join) {
    Joins j = new Joins();
    join.accept(j);
    return add(gem, new GemSpec.Join(j.conditions, j.columns.list, j.where), inputs);
  }

  public PipelineBuilder aggregate(String gem, String from, Consumer<Aggregates> aggregate) {
    Aggregates a = new Aggregates();
    aggregate.accept(a);
    return add(gem, new GemSpec.Aggregate(a.groupBy.list, a.aggregates.list, a.pivot, a.pivotValues), List.of(from));
  }

  public PipelineBuilder orderBy(String gem, String from, Consumer<Orders> orders) {
    Orders o = new Orders();
    orders.accept(o);
    return add(gem, new GemSpec.OrderBy(o.list), List.of(from));
  }

  public PipelineBuilder limit(String gem, String from, int rows) {
    return add(gem, new GemSpec.Limit(Expression.sql(Integer.toString(rows))), List.of(from));
  }

  /** Removes duplicates by key columns; with {@link GemSpec.DedupType#FIRST} or {@code LAST} the orders choose the row. */
  public PipelineBuilder deduplicate(String gem, String from, GemSpec.DedupType type, List<String> columns,
      Consumer<Orders> orders) {
    Orders o = new Orders();
    orders.accept(o);
    return add(gem, new GemSpec.Deduplicate(type, columns, o.list), List.of(from));
  }

  public PipelineBuilder deduplicate(String gem, String from, GemSpec.DedupType type, String... columns) {
    return deduplicate(gem, from, type, List.of(columns), o -> {});
  }

  public PipelineBuilder setOperation(String gem, GemSpec.SetOp operation, String... inputs) {
    return add(gem, new GemSpec.SetOperation(operation, false), List.of(inputs));
  }

  /** Union by name; with {@code allowMissingColumns} a column missing from an input is null there. */
  public PipelineBuilder unionByName(String gem, boolean allowMissingColumns, String... inputs) {
    return add(gem, new GemSpec.SetOperation(GemSpec.SetOp.UNION_BY_NAME, allowMissingColumns), List.of(inputs));
  }

  public PipelineBuilder schemaTransform(String gem, String from, Consumer<SchemaOps> ops) {
    SchemaOps s = new SchemaOps();
    ops.accept(s);
    return add(gem, new GemSpec.SchemaTransform(s.list), List.of(from));
  }

  public PipelineBuilder repartition(String gem, String from, GemSpec.RepartitionType type, Integer partitions,
      String... keys) {
    List<Expression> k = new ArrayList<>();
    for (String key : keys) {
      k.add(Expression.sql(key));
    }
    return add(gem, new GemSpec.Repartition(type, Optional.ofNullable(partitions), k), List.of(from));
  }

  public PipelineBuilder window(String gem, String from, Consumer<Windows> window) {
    Windows w = new Windows();
    window.accept(w);
    return add(gem, new GemSpec.WindowFunction(w.partitionBy, w.orders.list, w.columns.list, Optional.empty()),
        List.of(from));
  }

  /** A SQL query over the inputs, named in it as {@code in0}, {@code in1}, ... */
  public PipelineBuilder sql(String gem, List<String> inputs, String query) {
    return add(gem, new GemSpec.SqlStatement(query), inputs);
  }

  /** Free code in the pipeline's language over the inputs; it compiles to PySpark or Scala only. */
  public PipelineBuilder script(String gem, List<String> inputs, String code) {
    return add(gem, new GemSpec.Script(language, code), inputs);
  }

  /**
   * A nested graph shown as one gem. Inside, the subgraph's inputs are named {@code in0}, {@code in1}
   * ...; {@link #output(String)} names the gem whose output leaves the subgraph.
   */
  public PipelineBuilder subgraph(String gem, List<String> inputs, Consumer<PipelineBuilder> inner) {
    List<String> slugs = new ArrayList<>();
    for (int i = 0; i < inputs.size(); i++) {
      slugs.add("in" + i);
    }
    PipelineBuilder b = new PipelineBuilder(gem, slugs);
    b.language = language;
    inner.accept(b);
    if (b.subgraphOutput == null) {
      throw new IllegalArgumentException("subgraph '" + gem + "' names no output; call output(gem) inside it");
    }
    check(gem, "gem");
    if (gems.containsKey(gem)) {
      throw new IllegalArgumentException("pipeline '" + name + "' has a gem named '" + gem + "' already");
    }
    gems.put(gem, new Pending(gem, new GemSpec.Subgraph(), List.copyOf(inputs), Optional.of(b.buildSubgraph(gem))));
    return this;
  }

  /** Inside a subgraph: the gem whose output is the subgraph's output. */
  public PipelineBuilder output(String gem) {
    if (subgraphInputs.isEmpty() && subgraphOutput == null && !gems.containsKey(gem)) {
      throw new IllegalArgumentException("output(" + gem + ") names no gem of this subgraph");
    }
    this.subgraphOutput = gem;
    return this;
  }

  /** Adds a gem of any type from its spec, reading from the given gems in input order. */
  public PipelineBuilder gem(String gem, GemSpec spec, String... from) {
    return add(gem, spec, List.of(from));
  }

  private PipelineBuilder add(String gem, GemSpec spec, List<String> from) {
    check(gem, "gem");
    if (gems.containsKey(gem) || subgraphInputs.contains(gem)) {
      throw new IllegalArgumentException("pipeline '" + name + "' has a gem named '" + gem + "' already");
    }
    for (String f : from) {
      Objects.requireNonNull(f, "the input of gem '" + gem + "'");
      if (!gems.containsKey(f) && !subgraphInputs.contains(f)) {
        throw new IllegalArgumentException("gem '" + gem + "' reads from '" + f + "', which is not a gem added before it; "
            + "gems so far: " + gems.keySet());
      }
    }
    gems.put(gem, new Pending(gem, spec, List.copyOf(from), Optional.empty()));
    return this;
  }

  private static void check(String name, String what) {
    if (name == null || !NAME.matcher(name).matches()) {
      throw new IllegalArgumentException(what + " name '" + name + "' must start with a letter and hold only letters, "
          + "digits and underscores (at most 128)");
    }
  }

  private static String datasetId(String dataset) {
    Objects.requireNonNull(dataset, "dataset");
    return dataset.startsWith("datasets/") ? dataset : "datasets/" + dataset;
  }

  /** Builds the graph. */
  public PipelineGraph build() {
    ObjectNode doc = Json.object();
    doc.set("metainfo", metainfo());
    List<Gem> built = new ArrayList<>();
    List<Connection> connections = new ArrayList<>();
    layout(built, connections, null);
    doc.set("connections", Json.array());
    doc.set("processes", Json.object());
    ObjectNode ports = doc.putObject("ports");
    ports.putArray("inputs");
    ports.putArray("outputs");
    ports.putArray("selectedInputFields");
    ports.put("isCustomOutputSchema", false);
    ports.put("autoUpdateOnRun", false);
    PipelineGraph g = new PipelineGraph(name, doc, built, connections,
        new Configuration(fields, instances, "default"), List.of());
    return new PipelineGraph(name, g.toWorkflow(), built, connections, g.configuration(), List.of());
  }

  private PipelineGraph buildSubgraph(String subgraphId) {
    List<Gem> built = new ArrayList<>();
    List<Connection> connections = new ArrayList<>();
    layout(built, connections, subgraphId);
    Connection out = new Connection(subgraphOutput + "_to_" + subgraphId, subgraphOutput, subgraphOutput + "_out",
        subgraphId, subgraphId + "_out");
    connections.add(out);
    ObjectNode doc = Json.object();
    PipelineGraph g = new PipelineGraph(subgraphId, doc, built, connections, Configuration.empty(), List.of());
    ObjectNode w = g.toWorkflow();
    return new PipelineGraph(subgraphId, w, built, connections, Configuration.empty(), List.of());
  }

  private void layout(List<Gem> built, List<Connection> connections, String subgraphId) {
    Map<String, Integer> depth = new HashMap<>();
    Map<Integer, Integer> rows = new HashMap<>();
    for (Pending p : gems.values()) {
      int d = 0;
      for (String f : p.from) {
        d = Math.max(d, depth.getOrDefault(f, -1) + 1);
      }
      depth.put(p.name, d);
      int row = rows.merge(d, 1, Integer::sum) - 1;
      built.add(gem(p, 120 + d * 200, 120 + row * 160));
      for (int i = 0; i < p.from.size(); i++) {
        String f = p.from.get(i);
        String slug = "in" + i;
        if (subgraphInputs.contains(f)) {
          connections.add(new Connection(subgraphId + "_" + f + "_to_" + p.name + "_" + slug, subgraphId,
              subgraphId + "_" + f, p.name, p.name + "_" + slug));
        } else {
          connections.add(new Connection(f + "_to_" + p.name + "_" + slug, f, f + "_out", p.name, p.name + "_" + slug));
        }
      }
    }
  }

  private Gem gem(Pending p, int x, int y) {
    ObjectNode node = Json.object();
    node.put("id", p.name);
    node.put("component", p.spec.component());
    ObjectNode meta = node.putObject("metadata");
    meta.put("label", p.name);
    meta.put("slug", p.name);
    meta.put("x", x);
    meta.put("y", y);
    meta.put("phase", 0);
    meta.put("cache", false);
    meta.put("detailedStats", false);
    meta.put("isImported", false);
    ObjectNode ports = node.putObject("ports");
    ArrayNode in = ports.putArray("inputs");
    List<Port> inputs = new ArrayList<>();
    for (int i = 0; i < p.from.size(); i++) {
      Port port = new Port(p.name + "_in" + i, "in" + i);
      inputs.add(port);
      in.addObject().put("id", port.id()).put("slug", port.slug());
    }
    List<Port> outputs = new ArrayList<>();
    if (!(p.spec instanceof GemSpec.Target)) {
      Port out = new Port(p.name + "_out", "out");
      outputs.add(out);
      ports.putArray("outputs").addObject().put("id", out.id()).put("slug", out.slug());
    } else {
      ports.putArray("outputs");
    }
    ports.putArray("selectedInputFields");
    ports.put("isCustomOutputSchema", false);
    ports.put("autoUpdateOnRun", false);
    ObjectNode properties = p.spec.toProperties();
    if (p.spec instanceof GemSpec.Script s) {
      properties.put("scriptMethodHeader", scriptHeader(s.language(), inputs));
    } else if (p.spec instanceof GemSpec.Subgraph) {
      properties.put("packageName", p.name.toLowerCase(java.util.Locale.ROOT));
      properties.put("name", p.name);
    }
    node.set("properties", properties);
    if (p.subgraph.isPresent()) {
      // As Prophecy nests them: the inner connections, then the inner processes.
      ObjectNode w = p.subgraph.get().toWorkflow();
      node.set("connections", w.get("connections"));
      node.set("processes", w.get("processes"));
      node.putArray("externalDependencies");
    }
    return new Gem(p.name, p.name, p.spec.component(), p.spec, inputs, outputs, node, p.subgraph, Optional.empty());
  }

  /** The header Prophecy shows above a Script gem's code, naming its inputs. */
  private static String scriptHeader(String language, List<Port> inputs) {
    StringBuilder params = new StringBuilder("spark: SparkSession");
    for (Port in : inputs) {
      params.append(", ").append(in.slug()).append(": DataFrame");
    }
    return language.equals("scala") ? "def apply(" + params + "): DataFrame = {"
        : "def Script(" + params + ") -> DataFrame:";
  }

  /** The workflow's metainfo with the keys, in the order, of files Prophecy writes (fabric-specific ones left out). */
  private ObjectNode metainfo() {
    ObjectNode m = Json.object();
    m.putObject("migrationVersions").put("gemBuilderVersion", "v1");
    m.putObject("functions");
    m.put("id", "1");
    m.put("uri", "pipelines/" + name);
    m.put("language", language);
    m.put("frontEndLanguage", "sql");
    m.put("mode", "batch");
    ObjectNode udfs = m.putObject("udfs");
    udfs.put("language", language);
    udfs.putArray("udfs");
    udfs.putArray("sharedFunctionPackageNames");
    ObjectNode udafs = m.putObject("udafs");
    udafs.put("language", language);
    udafs.put("code", "");
    m.set("configuration", configuration());
    m.putArray("sparkConf");
    m.putArray("hadoopConf");
    m.put("codeMode", "sparse");
    m.put("buildSystem", "maven");
    m.putArray("externalDependencies");
    m.putArray("dependentProjectExternalDependencies");
    m.put("isImported", false);
    m.put("interimMode", "Full");
    m.put("interimModeEnabled", true);
    m.put("visualCodeInterimMode", "Disabled");
    ObjectNode limit = m.putObject("recordsLimit");
    limit.put("enabled", false);
    limit.put("value", 1000);
    String pkg = name.toLowerCase(java.util.Locale.ROOT);
    m.put("topLevelPackage", language.equals("scala") ? "io.prophecy.pipelines." + pkg : pkg);
    m.put("configurationVersion", "v2");
    return m;
  }

  /** {@code common, oldCommon, fabrics, instances, selected, nonEditable, isSubscribedPipelineWithPipelineConfigs}. */
  private ObjectNode configuration() {
    ObjectNode c = new Configuration(fields, instances, "default").toJson();
    ObjectNode out = Json.object();
    out.set("common", c.get("common"));
    ObjectNode oldCommon = out.putObject("oldCommon");
    oldCommon.put("type", "record");
    oldCommon.putArray("fields");
    out.putObject("fabrics");
    out.set("instances", c.get("instances"));
    out.set("selected", c.get("selected"));
    out.putArray("nonEditable");
    out.put("isSubscribedPipelineWithPipelineConfigs", false);
    return out;
  }

  /** Named output columns. */
  public static class Columns {
    final List<Column> list = new ArrayList<>();

    /** An output column {@code target} computed by a Spark SQL expression. */
    public Columns column(String target, String expression) {
      list.add(Column.of(target, expression));
      return this;
    }

    /** Columns passed through under their own names. */
    public Columns columns(String... names) {
      for (String n : names) {
        list.add(Column.of(ownName(n), n));
      }
      return this;
    }
  }

  /** Join conditions and output columns. */
  public static final class Joins {
    final List<JoinCondition> conditions = new ArrayList<>();
    final Columns columns = new Columns();
    Optional<Expression> where = Optional.empty();

    /** How input {@code alias} ({@code in1}, {@code in2}, ...) joins what comes before it. */
    public Joins on(String alias, String condition, JoinType type) {
      conditions.add(new JoinCondition(alias, Expression.sql(condition), type));
      return this;
    }

    public Joins column(String target, String expression) {
      columns.column(target, expression);
      return this;
    }

    public Joins columns(String... names) {
      columns.columns(names);
      return this;
    }

    public Joins where(String condition) {
      where = Optional.of(Expression.sql(condition));
      return this;
    }
  }

  /** Group-by columns, aggregates and pivots. */
  public static final class Aggregates {
    final Columns groupBy = new Columns();
    final Columns aggregates = new Columns();
    Optional<Expression> pivot = Optional.empty();
    List<String> pivotValues = List.of();

    public Aggregates groupBy(String... columns) {
      groupBy.columns(columns);
      return this;
    }

    /** Groups by an expression under a name of its own: {@code groupByAs("year", "year(ordered_on)")}. */
    public Aggregates groupByAs(String target, String expression) {
      groupBy.column(target, expression);
      return this;
    }

    public Aggregates agg(String target, String expression) {
      aggregates.column(target, expression);
      return this;
    }

    /** Pivots on a column: one output column per value and aggregate. */
    public Aggregates pivot(String column, String... values) {
      pivot = Optional.of(Expression.sql(column));
      pivotValues = List.of(values);
      return this;
    }
  }

  /** Sort keys. */
  public static final class Orders {
    final List<Order> list = new ArrayList<>();

    public Orders asc(String expression) {
      list.add(new Order(Expression.sql(expression), SortType.ASC));
      return this;
    }

    public Orders desc(String expression) {
      list.add(new Order(Expression.sql(expression), SortType.DESC));
      return this;
    }

    public Orders by(String expression, SortType sort) {
      list.add(new Order(Expression.sql(expression), sort));
      return this;
    }
  }

  /** SchemaTransform steps, applied in order. */
  public static final class SchemaOps {
    final List<SchemaOp> list = new ArrayList<>();

    public SchemaOps addOrReplace(String column, String expression) {
      list.add(new SchemaOp(SchemaOp.Kind.ADD_REPLACE, column, Optional.of(Expression.sql(expression)), Optional.empty()));
      return this;
    }

    public SchemaOps drop(String column) {
      list.add(new SchemaOp(SchemaOp.Kind.DROP, column, Optional.empty(), Optional.empty()));
      return this;
    }

    public SchemaOps rename(String column, String newName) {
      list.add(new SchemaOp(SchemaOp.Kind.RENAME, column, Optional.empty(), Optional.of(newName)));
      return this;
    }
  }

  /** A window: partitioning, order and the columns computed over it. */
  public static final class Windows {
    final List<Expression> partitionBy = new ArrayList<>();
    final Orders orders = new Orders();
    final Columns columns = new Columns();

    public Windows partitionBy(String... expressions) {
      for (String e : expressions) {
        partitionBy.add(Expression.sql(e));
      }
      return this;
    }

    public Windows orderBy(Consumer<Orders> o) {
      o.accept(orders);
      return this;
    }

    public Windows column(String target, String windowExpression) {
      columns.column(target, windowExpression);
      return this;
    }
  }
}
