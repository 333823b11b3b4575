package io.prophecy.sdk.codegen;

import io.prophecy.sdk.InvalidInputException;
import io.prophecy.sdk.model.DatasetSpec;
import io.prophecy.sdk.pipeline.Connection;
import io.prophecy.sdk.pipeline.DatasetLookup;
import io.prophecy.sdk.pipeline.Expression;
import io.prophecy.sdk.pipeline.Gem;
import io.prophecy.sdk.pipeline.GemSpec;
import io.prophecy.sdk.pipeline.GemSpec.Column;
import io.prophecy.sdk.pipeline.GemSpec.Order;
import io.prophecy.sdk.pipeline.PipelineGraph;
import io.prophecy.sdk.spi.PipelinePlan;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Compiles a pipeline to Spark SQL: one query per gem over the views of the gems it reads, in an order
 * where every gem follows its inputs. The output is deterministic: the same pipeline gives the same text.
 *
 * <p>Three forms: {@link #steps} for interactive runs (one step per gem), {@link #script} for people (a
 * temporary view per gem, then the writes), and {@link #query} (one SELECT with a CTE per gem).
 */
public final class SparkSqlCompiler {
  /** One gem compiled: the view it defines, its query, the views it reads, per-field probes. */
  public record GemSql(String gem, String component, String view, PipelinePlan.Kind kind, String sql,
      List<String> inputs, List<PipelinePlan.Probe> probes, Optional<DatasetSpec> dataset) {}

  private static final Pattern WORD = Pattern.compile("`[^`]*`|'(?:[^'\\\\]|\\\\.)*'|\"(?:[^\"\\\\]|\\\\.)*\"|[A-Za-z_][A-Za-z0-9_]*(\\s*\\()?");
  private static final Set<String> SQL_WORDS = Set.of("and", "or", "not", "null", "true", "false", "case", "when",
      "then", "else", "end", "as", "distinct", "is", "in", "like", "rlike", "between", "cast", "interval", "year",
      "month", "day", "hour", "minute", "second", "int", "integer", "bigint", "smallint", "tinyint", "string",
      "double", "float", "decimal", "date", "timestamp", "boolean", "binary", "over", "partition", "by", "order",
      "asc", "desc", "nulls", "first", "last", "rows", "range", "unbounded", "preceding", "following", "current",
      "row", "filter", "where", "escape", "div", "long");

  private final PipelineGraph graph;
  private final DatasetLookup datasets;
  private final Map<String, String> config;
  /** The engine's output columns by gem name, which override {@link #known}. */
  private final Map<String, List<String>> resolved;
  /** The columns known from dataset schemas, by gem position in the graph; found on first use. */
  private List<Optional<List<String>>> known;
  /** {@link PipelineGraph#knownColumns} with {@link #resolved} over it, for views not read through an upstream; made on first use. */
  private Map<String, List<String>> byName;
  /** The upstream gems of the gem being compiled, by input slug; null inside a subgraph. */
  private Map<String, PipelineGraph.Upstream> upstream;
  private final boolean tablesForSources;
  /** The view {@link #ref} quoted last, and how. */
  private String refView;
  private String refQuoted;

  private SparkSqlCompiler(PipelineGraph graph, DatasetLookup datasets, Map<String, String> config,
      Map<String, List<String>> columns, boolean tablesForSources) {
    this.graph = graph;
    this.datasets = datasets;
    this.config = config;
    this.resolved = columns;
    this.tablesForSources = tablesForSources;
  }

  /**
   * The pipeline as steps, one per gem, in dependency order. Sources become READ steps, Targets WRITE
   * steps, other gems TRANSFORM steps whose SQL reads the views of their inputs.
   *
   * @param config configuration values by field (defaults are not applied here)
   * @param columns output columns of gems the engine resolved, by gem name; gems that need their input's
   *     columns (SchemaTransform, union by name, pivots) use them when dataset schemas do not say
   * @throws InvalidInputException naming the gem and field for what Spark SQL cannot express
   */
  public static List<GemSql> steps(PipelineGraph graph, DatasetLookup datasets, Map<String, String> config,
      Map<String, List<String>> columns) {
    return new SparkSqlCompiler(graph, datasets, config, columns, false).compile(graph, "", Map.of());
  }

  /**
   * One SELECT giving the output of a gem, with a CTE per gem it depends on; Source gems read the tables
   * or views named like their datasets.
   */
  public static String query(PipelineGraph graph, DatasetLookup datasets, String gemName) {
    return query(graph, datasets, gemName, graph.configuration().values(Optional.empty(), Map.of()));
  }

  public static String query(PipelineGraph graph, DatasetLookup datasets, String gemName, Map<String, String> config) {
    SparkSqlCompiler c = new SparkSqlCompiler(graph, datasets, config, Map.of(), true);
    List<GemSql> all = c.compile(graph, "", Map.of());
    String wanted = graph.gem(gemName).name();
    Map<String, GemSql> byGem = new LinkedHashMap<>();
    Map<String, GemSql> byView = new HashMap<>();
    all.forEach(s -> {
      byGem.put(s.gem(), s);
      byView.putIfAbsent(s.view(), s);
    });
    Set<String> needed = new LinkedHashSet<>();
    collect(byGem, byView, wanted, needed);
    List<String> ctes = new ArrayList<>();
    for (GemSql s : all) {
      if (!needed.contains(s.gem()) || s.gem().equals(wanted)) {
        continue;
      }
      if (s.kind() == PipelinePlan.Kind.TRANSFORM) {
        ctes.add(quote(s.view()) + " AS (\n" + indent(s.sql()) + "\n)");
      } else if (s.kind() == PipelinePlan.Kind.READ && !quote(s.view()).equals(c.sourceTable(s))) {
        // a Source gem named otherwise than its table: the gems after it read it by the gem's name
        ctes.add(quote(s.view()) + " AS (\n" + indent("SELECT * FROM " + c.sourceTable(s)) + "\n)");
      }
    }
    GemSql last = byGem.get(wanted);
    String body = last.kind() == PipelinePlan.Kind.READ ? "SELECT * FROM " + c.sourceTable(last) : last.sql();
    return ctes.isEmpty() ? body : "WITH " + String.join(",\n", ctes) + "\n" + body;
  }

  private static void collect(Map<String, GemSql> byGem, Map<String, GemSql> byView, String gem, Set<String> needed) {
    GemSql s = byGem.get(gem);
    if (s != null && needed.add(gem)) {
      for (String view : s.inputs()) {
        GemSql o = byView.get(view);
        if (o != null) {
          collect(byGem, byView, o.gem(), needed);
        }
      }
    }
  }

  /** A readable Spark SQL script: a temporary view per gem in dependency order, then the writes. */
  public static String script(PipelineGraph graph, DatasetLookup datasets, Map<String, String> config) {
    SparkSqlCompiler c = new SparkSqlCompiler(graph, datasets, config, Map.of(), false);
    StringBuilder out = new StringBuilder();
    out.append("-- Pipeline ").append(graph.name()).append(", compiled to Spark SQL by the Prophecy SDK.\n");
    out.append("-- One temporary view per gem, in the order the gems run.\n");
    for (GemSql s : c.compile(graph, "", Map.of())) {
      out.append('\n').append("-- ").append(s.component()).append(' ').append(s.gem()).append('\n');
      switch (s.kind()) {
        case READ -> out.append(c.createSourceView(s)).append(";\n");
        case TRANSFORM -> out.append("CREATE OR REPLACE TEMPORARY VIEW ").append(quote(s.view())).append(" AS\n")
            .append(s.sql()).append(";\n");
        case WRITE -> out.append(writeStatement(s)).append(";\n");
      }
    }
    return out.toString();
  }

  private List<GemSql> compile(PipelineGraph g, String prefix, Map<String, String> external) {
    List<GemSql> out = new ArrayList<>();
    List<PipelineGraph.Wired> order;
    try {
      order = g.wiredOrder();
    } catch (IllegalStateException e) {
      throw new InvalidInputException("pipeline '" + graph.name() + "'", e.getMessage());
    }
    for (PipelineGraph.Wired wired : order) {
      Gem gem = wired.gem();
      String view = viewName(prefix, gem);
      Map<String, PipelineGraph.Upstream> up = wired.inputs();
      Map<String, String> in;
      if (up.size() == 1 && gem.inputs().size() == 1) {
        // the usual gem: its one input connected (the map's key is that input's slug)
        var e = up.entrySet().iterator().next();
        in = Collections.singletonMap(e.getKey(), viewName(prefix, e.getValue().gem()));
      } else {
        in = inputViews(gem, up, prefix, external);
      }
      upstream = prefix.isEmpty() ? up : null;
      if (gem.spec() instanceof GemSpec.Subgraph) {
        out.addAll(subgraph(gem, view, in));
      } else {
        out.add(gem(gem, view, in));
      }
    }
    upstream = null;
    return out;
  }

  /** A gem's view: its name, after the prefix of the subgraphs it is in. */
  private static String viewName(String prefix, Gem gem) {
    return prefix.isEmpty() ? gem.name() : prefix + gem.name();
  }

  /** The views a gem's inputs read, by input slug, in the order of its inputs' connections. */
  private Map<String, String> inputViews(Gem gem, Map<String, PipelineGraph.Upstream> up, String prefix,
      Map<String, String> external) {
    Map<String, String> in = new LinkedHashMap<>();
    for (var e : up.entrySet()) {
      // an input's gem comes earlier in the order; its view is named the same way
      in.put(e.getKey(), viewName(prefix, e.getValue().gem()));
    }
    for (var p : gem.inputs()) {
      if (!in.containsKey(p.slug())) {
        String ext = external.get(p.id());
        if (ext == null && !(gem.spec() instanceof GemSpec.Subgraph)) {
          throw new InvalidInputException("gem '" + gem.name() + "' input " + p.slug(), "is not connected");
        }
        if (ext != null) {
          in.put(p.slug(), ext);
        }
      }
    }
    return in;
  }

  private List<GemSql> subgraph(Gem gem, String view, Map<String, String> in) {
    PipelineGraph inner = gem.subgraph().orElseThrow();
    Map<String, String> external = new LinkedHashMap<>();
    for (var p : gem.inputs()) {
      if (in.containsKey(p.slug())) {
        external.put(p.id(), in.get(p.slug()));
      }
    }
    // the columns the inner gems can know, by the views they read: their inputs' from outside, and
    // the inner gems' own where they follow from the gems themselves (a select list, say)
    Map<String, List<String>> columns = new HashMap<>();
    Map<String, List<String>> bySlug = new HashMap<>();
    for (var e : in.entrySet()) {
      List<String> cols = columnsOrEmpty(e.getKey(), e.getValue());
      if (!cols.isEmpty()) {
        columns.put(e.getValue(), cols);
        bySlug.put(e.getKey(), cols);
      }
    }
    graph.knownColumnsInside(gem, bySlug, datasets).forEach((name, cols) -> columns.put(view + "__" + name, cols));
    // inner connections from the subgraph itself name its input ports: map them to the outer views
    PipelineGraph rewired = inner;
    List<GemSql> steps = new SparkSqlCompiler(rewired, datasets, config, columns, tablesForSources)
        .compileInner(rewired, view + "__", external, gem);
    String output = null;
    for (var c : inner.connections()) {
      if (c.target().equals(gem.id())) {
        output = view + "__" + inner.gem(c.source()).name();
      }
    }
    if (output == null) {
      throw new InvalidInputException("gem '" + gem.name() + "'", "the subgraph's output is not connected inside it");
    }
    List<GemSql> out = new ArrayList<>(steps);
    out.add(new GemSql(gem.name(), "Subgraph", view, PipelinePlan.Kind.TRANSFORM, "SELECT * FROM " + quote(output),
        List.of(output), List.of(), Optional.empty()));
    return out;
  }

  private List<GemSql> compileInner(PipelineGraph inner, String prefix, Map<String, String> external, Gem outer) {
    List<GemSql> out = new ArrayList<>();
    Map<String, String> views = new LinkedHashMap<>();
    Map<String, List<Connection>> into = new HashMap<>();
    for (Connection c : inner.connections()) {
      into.computeIfAbsent(c.target(), k -> new ArrayList<>()).add(c);
    }
    for (Gem gem : inner.topologicalOrder()) {
      String view = prefix + gem.name();
      views.put(gem.id(), view);
      Map<String, String> in = new LinkedHashMap<>();
      for (var p : gem.inputs()) {
        for (var c : into.getOrDefault(gem.id(), List.of())) {
          if (c.targetPort().equals(p.id())) {
            if (c.source().equals(outer.id())) {
              String ext = external.get(c.sourcePort());
              if (ext != null) {
                in.put(p.slug(), ext);
              }
            } else if (views.containsKey(c.source())) {
              in.put(p.slug(), views.get(c.source()));
            }
          }
        }
        if (!in.containsKey(p.slug())) {
          throw new InvalidInputException("gem '" + outer.name() + "/" + gem.name() + "' input " + p.slug(), "is not connected");
        }
      }
      out.add(gem(gem, view, in));
    }
    return out;
  }

  private GemSql gem(Gem gem, String view, Map<String, String> in) {
    GemSpec spec = gem.spec();
    String from = in.get("in0");
    List<String> inputs = List.copyOf(in.values());
    String name = gem.name();
    List<PipelinePlan.Probe> probes = new ArrayList<>();
    String sql;
    PipelinePlan.Kind kind = PipelinePlan.Kind.TRANSFORM;
    Optional<DatasetSpec> dataset = Optional.empty();
    if (spec instanceof GemSpec.Source s) {
      dataset = Optional.of(dataset(gem, s.datasetId()));
      return new GemSql(name, gem.component(), view, PipelinePlan.Kind.READ, "", List.of(), List.of(), dataset);
    } else if (spec instanceof GemSpec.Target t) {
      require(gem, from, "in0");
      return new GemSql(name, gem.component(), view, PipelinePlan.Kind.WRITE, "SELECT * FROM " + ref(from), inputs,
          List.of(), Optional.of(dataset(gem, t.datasetId())));
    } else if (spec instanceof GemSpec.Reformat r) {
      require(gem, from, "in0");
      sql = "SELECT " + selectList(gem, "expressions", r.columns(), probes, from) + "\nFROM " + ref(from);
    } else if (spec instanceof GemSpec.Filter f) {
      require(gem, from, "in0");
      String cond = expr(gem, "condition", f.condition());
      probes.add(new PipelinePlan.Probe("condition", "SELECT * FROM " + ref(from) + " WHERE " + cond));
      sql = "SELECT *\nFROM " + ref(from) + "\nWHERE " + cond;
    } else if (spec instanceof GemSpec.Join j) {
      sql = join(gem, j, in, probes);
    } else if (spec instanceof GemSpec.Aggregate a) {
      require(gem, from, "in0");
      sql = aggregate(gem, a, from, probes);
    } else if (spec instanceof GemSpec.OrderBy o) {
      require(gem, from, "in0");
      sql = "SELECT *\nFROM " + ref(from) + "\nORDER BY " + orders(gem, "orders", o.orders(), probes, from);
    } else if (spec instanceof GemSpec.Limit l) {
      require(gem, from, "in0");
      String n = expr(gem, "limit", l.count()).trim();
      if (!n.matches("[0-9]+")) {
        throw new InvalidInputException("gem '" + name + "' limit", "must be a whole number, was '" + n + "'");
      }
      sql = "SELECT *\nFROM " + ref(from) + "\nLIMIT " + n;
    } else if (spec instanceof GemSpec.Deduplicate d) {
      require(gem, from, "in0");
      sql = deduplicate(gem, d, from, probes);
    } else if (spec instanceof GemSpec.SetOperation s) {
      sql = setOperation(gem, s, in);
    } else if (spec instanceof GemSpec.SchemaTransform s) {
      require(gem, from, "in0");
      sql = schemaTransform(gem, s, from, in);
    } else if (spec instanceof GemSpec.Repartition r) {
      require(gem, from, "in0");
      sql = repartition(gem, r, from);
    } else if (spec instanceof GemSpec.WindowFunction w) {
      require(gem, from, "in0");
      sql = window(gem, w, from, probes);
    } else if (spec instanceof GemSpec.SqlStatement s) {
      if (s.sql().isBlank()) {
        throw new InvalidInputException("gem '" + name + "' sqlStatement", "the SQL statement is empty");
      }
      List<String> ctes = new ArrayList<>();
      in.forEach((slug, v) -> ctes.add(slug + " AS (SELECT * FROM " + quote(v) + ")"));
      String body = config(s.sql().trim().replaceAll(";\\s*$", ""));
      sql = ctes.isEmpty() ? body : "WITH " + String.join(", ", ctes) + "\nSELECT * FROM (\n" + indent(body) + "\n) AS q";
    } else if (spec instanceof GemSpec.Script s) {
      throw new InvalidInputException("gem '" + name + "' script", "a Script gem holds " + s.language()
          + " code, which Spark SQL cannot run; run the pipeline's generated " + s.language() + " code instead");
    } else {
      throw new InvalidInputException("gem '" + name + "' component", "gem type '" + gem.component()
          + "' cannot be compiled to Spark SQL");
    }
    return new GemSql(name, gem.component(), view, kind, sql, inputs, probes, dataset);
  }

  private String join(Gem gem, GemSpec.Join j, Map<String, String> in, List<PipelinePlan.Probe> probes) {
    if (in.size() < 2) {
      throw new InvalidInputException("gem '" + gem.name() + "'", "a Join gem needs two or more inputs");
    }
    StringBuilder from = new StringBuilder(ref(in.get("in0")) + " AS in0");
    Set<String> semi = new LinkedHashSet<>();
    for (var e : in.entrySet()) {
      if (e.getKey().equals("in0")) {
        continue;
      }
      int index = indexOfCondition(j, e.getKey());
      if (index < 0) {
        throw new InvalidInputException("gem '" + gem.name() + "' " + e.getKey(), "input " + e.getKey()
            + " has no join condition");
      }
      GemSpec.JoinCondition c = j.conditions().get(index);
      from.append("\n").append(c.type().sql()).append(' ').append(ref(e.getValue())).append(" AS ").append(e.getKey());
      if (c.type() != GemSpec.JoinType.CROSS) {
        from.append(" ON ").append(expr(gem, "conditions[" + index + "].expression", c.on()));
      }
      if (c.type() == GemSpec.JoinType.LEFT_SEMI || c.type() == GemSpec.JoinType.LEFT_ANTI) {
        semi.add(e.getKey());
      }
    }
    String select;
    if (j.columns().isEmpty()) {
      select = in.keySet().stream().filter(k -> !semi.contains(k)).map(k -> k + ".*").collect(Collectors.joining(", "));
    } else {
      select = selectList(gem, "expressions", j.columns(), probes, null);
    }
    String fromText = from.toString();
    List<PipelinePlan.Probe> located = new ArrayList<>();
    for (int i = 0; i < j.conditions().size(); i++) {
      GemSpec.JoinCondition c = j.conditions().get(i);
      if (c.type() != GemSpec.JoinType.CROSS && in.containsKey(c.alias())) {
        located.add(new PipelinePlan.Probe("conditions[" + i + "].expression", "SELECT 1 FROM " + ref(in.get("in0"))
            + " AS in0 CROSS JOIN " + ref(in.get(c.alias())) + " AS " + c.alias() + " WHERE "
            + expr(gem, "conditions[" + i + "].expression", c.on())));
      }
    }
    for (PipelinePlan.Probe p : probes) {
      located.add(new PipelinePlan.Probe(p.field(), p.sql().replace("__FROM__", fromText)));
    }
    probes.clear();
    probes.addAll(located);
    String sql = "SELECT " + select + "\nFROM " + fromText;
    if (j.where().isPresent()) {
      String w = expr(gem, "whereClause", j.where().get());
      probes.add(new PipelinePlan.Probe("whereClause", "SELECT 1 FROM " + fromText + " WHERE " + w));
      sql += "\nWHERE " + w;
    }
    return sql;
  }

  private static int indexOfCondition(GemSpec.Join j, String alias) {
    for (int i = 0; i < j.conditions().size(); i++) {
      if (j.conditions().get(i).alias().equals(alias)) {
        return i;
      }
    }
    return -1;
  }

  private String aggregate(Gem gem, GemSpec.Aggregate a, String from, List<PipelinePlan.Probe> probes) {
    List<String> groups = new ArrayList<>();
    for (int i = 0; i < a.groupBy().size(); i++) {
      groups.add(expr(gem, "groupBy[" + i + "].expression", a.groupBy().get(i).expression()));
    }
    if (a.pivotColumn().isEmpty()) {
      List<Column> all = new ArrayList<>(a.groupBy());
      all.addAll(a.aggregates());
      String select = selectList(gem, "groupBy", a.groupBy(), probes, from);
      String aggs = selectList(gem, "aggregate", a.aggregates(), probes, from);
      String list = a.groupBy().isEmpty() ? aggs : a.aggregates().isEmpty() ? select : select + ",\n       " + aggs;
      String sql = "SELECT " + list + "\nFROM " + ref(from);
      if (!groups.isEmpty()) {
        sql += "\nGROUP BY " + String.join(", ", groups);
        for (PipelinePlan.Probe p : new ArrayList<>(probes)) {
          if (p.field().startsWith("aggregate")) {
            probes.set(probes.indexOf(p), new PipelinePlan.Probe(p.field(), p.sql() + " GROUP BY " + String.join(", ", groups)));
          }
        }
      }
      return sql;
    }
    // PIVOT groups by every other column of its input: select exactly the group-by columns, the pivot
    // column and the columns the aggregates use
    String pivot = expr(gem, "pivotColumn", a.pivotColumn().get());
    Set<String> used = new LinkedHashSet<>();
    for (int i = 0; i < a.aggregates().size(); i++) {
      used.addAll(identifiers(expr(gem, "aggregate[" + i + "].expression", a.aggregates().get(i).expression())));
    }
    List<String> inner = new ArrayList<>();
    for (int i = 0; i < a.groupBy().size(); i++) {
      inner.add(groups.get(i) + " AS " + quote(a.groupBy().get(i).target()));
      used.remove(a.groupBy().get(i).target().toLowerCase(Locale.ROOT));
    }
    inner.add(pivot + " AS `__pivot`");
    used.forEach(u -> inner.add(quote(u)));
    List<String> aggs = new ArrayList<>();
    for (int i = 0; i < a.aggregates().size(); i++) {
      Column c = a.aggregates().get(i);
      aggs.add(expr(gem, "aggregate[" + i + "].expression", c.expression()) + " AS " + quote(c.target()));
    }
    String values = a.pivotValues().stream().map(v -> "'" + v.replace("\\", "\\\\").replace("'", "\\'") + "'")
        .collect(Collectors.joining(", "));
    if (values.isEmpty()) {
      throw new InvalidInputException("gem '" + gem.name() + "' pivotValues", "a pivot in Spark SQL needs its values listed");
    }
    return "SELECT *\nFROM (SELECT " + String.join(", ", inner) + " FROM " + ref(from) + ")\nPIVOT (\n  "
        + String.join(",\n  ", aggs) + "\n  FOR `__pivot` IN (" + values + ")\n)";
  }

  private String deduplicate(Gem gem, GemSpec.Deduplicate d, String from, List<PipelinePlan.Probe> probes) {
    if (d.type() == GemSpec.DedupType.DISTINCT) {
      return "SELECT DISTINCT *\nFROM " + ref(from);
    }
    List<String> keys = new ArrayList<>();
    for (int i = 0; i < d.columns().size(); i++) {
      String at = "dedupColumns[" + i + "]";
      String k = expr(gem, at, Expression.sql(d.columns().get(i)));
      keys.add(k);
      probes.add(new PipelinePlan.Probe(at, "SELECT " + k + " FROM " + ref(from)));
    }
    if (keys.isEmpty()) {
      throw new InvalidInputException("gem '" + gem.name() + "' dedupColumns", "deduplicating by " + d.type().spelling()
          + " needs key columns");
    }
    String partition = "PARTITION BY " + String.join(", ", keys);
    if (d.type() == GemSpec.DedupType.UNIQUE_ONLY) {
      return "SELECT `__row`.*\nFROM (SELECT struct(*) AS `__row`, count(1) OVER (" + partition + ") AS `__n` FROM "
          + ref(from) + ")\nWHERE `__n` = 1";
    }
    String order;
    if (d.type() == GemSpec.DedupType.ANY || d.orders().isEmpty()) {
      order = String.join(", ", keys);
    } else {
      List<Order> orders = d.orders();
      if (d.type() == GemSpec.DedupType.LAST) {
        orders = orders.stream().map(o -> new Order(o.expression(), reverse(o.sort()))).toList();
      }
      order = orders(gem, "orders", orders, probes, from);
    }
    return "SELECT `__row`.*\nFROM (SELECT struct(*) AS `__row`, row_number() OVER (" + partition + " ORDER BY " + order
        + ") AS `__rn` FROM " + ref(from) + ")\nWHERE `__rn` = 1";
  }

  private static GemSpec.SortType reverse(GemSpec.SortType s) {
    return switch (s) {
      case ASC -> GemSpec.SortType.DESC;
      case DESC -> GemSpec.SortType.ASC;
      case ASC_NULLS_LAST -> GemSpec.SortType.DESC_NULLS_FIRST;
      case DESC_NULLS_FIRST -> GemSpec.SortType.ASC_NULLS_LAST;
    };
  }

  private String setOperation(Gem gem, GemSpec.SetOperation s, Map<String, String> in) {
    if (in.size() < 2) {
      throw new InvalidInputException("gem '" + gem.name() + "'", "a SetOperation gem needs two or more inputs");
    }
    if (s.operation() != GemSpec.SetOp.UNION_BY_NAME) {
      return in.values().stream().map(v -> "SELECT * FROM " + ref(v)).collect(Collectors.joining("\n" + s.operation().sql() + "\n"));
    }
    // union by name: align every input on the columns of the first (and, with allowMissingColumns, the rest)
    List<String> all = new ArrayList<>();
    Map<String, List<String>> byInput = new LinkedHashMap<>(); // by input slug, in the inputs' order
    for (var e : in.entrySet()) {
      List<String> cols = columnsOf(gem, e.getKey(), e.getValue());
      byInput.put(e.getKey(), cols);
      for (String c : cols) {
        if (all.stream().noneMatch(x -> x.equalsIgnoreCase(c))) {
          if (!e.getKey().equals("in0") && !s.allowMissingColumns()) {
            throw new InvalidInputException("gem '" + gem.name() + "' " + e.getKey(), "column '" + c
                + "' is not in in0; set allowMissingColumns to keep it");
          }
          all.add(c);
        }
      }
    }
    List<String> selects = new ArrayList<>();
    for (var e : byInput.entrySet()) {
      List<String> cols = new ArrayList<>();
      for (String c : all) {
        boolean has = e.getValue().stream().anyMatch(x -> x.equalsIgnoreCase(c));
        if (!has && !s.allowMissingColumns()) {
          throw new InvalidInputException("gem '" + gem.name() + "' " + e.getKey(), "input " + e.getKey() + " ("
              + in.get(e.getKey()) + ") has no column '" + c + "'; set allowMissingColumns to fill it with nulls");
        }
        cols.add(has ? quote(c) : "NULL AS " + quote(c));
      }
      selects.add("SELECT " + String.join(", ", cols) + " FROM " + ref(in.get(e.getKey())));
    }
    return String.join("\nUNION ALL\n", selects);
  }

  private String schemaTransform(Gem gem, GemSpec.SchemaTransform s, String from, Map<String, String> in) {
    List<String> cols = new ArrayList<>(columnsOf(gem, "in0", from));
    Map<String, String> exprs = new LinkedHashMap<>();
    cols.forEach(c -> exprs.put(c, quote(c)));
    for (int i = 0; i < s.operations().size(); i++) {
      GemSpec.SchemaOp op = s.operations().get(i);
      String field = "transformations[" + i + "]";
      String existing = exprs.keySet().stream().filter(k -> k.equalsIgnoreCase(op.column())).findFirst().orElse(null);
      switch (op.kind()) {
        case ADD_REPLACE -> {
          // a later step sees the columns as the earlier steps left them: inline their expressions
          String e = "(" + inline(expr(gem, field + ".expression", op.expression().orElseThrow()), exprs) + ")";
          if (existing != null) {
            exprs.put(existing, e);
          } else {
            exprs.put(op.column(), e);
          }
        }
        case DROP -> {
          if (existing == null) {
            throw new InvalidInputException("gem '" + gem.name() + "' " + field, "drops column '" + op.column()
                + "', which the input does not have");
          }
          exprs.remove(existing);
        }
        case RENAME -> {
          if (existing == null) {
            throw new InvalidInputException("gem '" + gem.name() + "' " + field, "renames column '" + op.column()
                + "', which the input does not have");
          }
          Map<String, String> renamed = new LinkedHashMap<>();
          exprs.forEach((k, v) -> renamed.put(k.equals(existing) ? op.newName().orElseThrow() : k, v));
          exprs.clear();
          exprs.putAll(renamed);
        }
      }
    }
    List<String> select = new ArrayList<>();
    exprs.forEach((k, v) -> {
      String q = quote(k);
      select.add(v.equals(q) ? q : v + " AS " + q);
    });
    return "SELECT " + String.join(",\n       ", select) + "\nFROM " + ref(from);
  }

  /** Replaces bare references to columns changed by earlier SchemaTransform steps with their expressions. */
  private static String inline(String expression, Map<String, String> exprs) {
    Matcher m = WORD.matcher(expression);
    StringBuilder sb = new StringBuilder();
    while (m.find()) {
      String w = m.group();
      String replacement = w;
      if (m.group(1) == null && !w.startsWith("'") && !w.startsWith("\"")) {
        String bare = w.startsWith("`") ? w.substring(1, w.length() - 1) : w;
        int before = m.start() - 1;
        boolean qualified = before >= 0 && expression.charAt(before) == '.';
        String key = exprs.keySet().stream().filter(k -> k.equalsIgnoreCase(bare)).findFirst().orElse(null);
        if (!qualified && key != null && !exprs.get(key).equals(quote(key))) {
          replacement = exprs.get(key);
        }
      }
      m.appendReplacement(sb, Matcher.quoteReplacement(replacement));
    }
    m.appendTail(sb);
    return sb.toString();
  }

  private String repartition(Gem gem, GemSpec.Repartition r, String from) {
    List<String> keys = new ArrayList<>();
    for (int i = 0; i < r.keys().size(); i++) {
      keys.add(expr(gem, "expressions[" + i + "]", r.keys().get(i)));
    }
    List<String> args = new ArrayList<>();
    r.partitions().ifPresent(n -> args.add(Integer.toString(n)));
    args.addAll(keys);
    String hint = switch (r.type()) {
      case COALESCE -> "COALESCE(" + r.partitions().orElseThrow(() -> new InvalidInputException(
          "gem '" + gem.name() + "' nPartitions", "coalesce needs a number of partitions")) + ")";
      case HASH, RANDOM -> "REPARTITION(" + String.join(", ", args) + ")";
      case RANGE -> "REPARTITION_BY_RANGE(" + String.join(", ", args) + ")";
    };
    return "SELECT /*+ " + hint + " */ *\nFROM " + ref(from);
  }

  private String window(Gem gem, GemSpec.WindowFunction w, String from, List<PipelinePlan.Probe> probes) {
    List<String> partition = new ArrayList<>();
    for (int i = 0; i < w.partitionBy().size(); i++) {
      partition.add(expr(gem, "partitionColumns[" + i + "]", w.partitionBy().get(i)));
    }
    StringBuilder spec = new StringBuilder();
    if (!partition.isEmpty()) {
      spec.append("PARTITION BY ").append(String.join(", ", partition));
    }
    if (!w.orderBy().isEmpty()) {
      spec.append(spec.isEmpty() ? "" : " ").append("ORDER BY ").append(orders(gem, "orderColumns", w.orderBy(), probes, from));
    }
    w.frame().ifPresent(f -> spec.append(" ").append(f));
    List<String> replaced = new ArrayList<>();
    List<String> added = new ArrayList<>();
    for (int i = 0; i < w.columns().size(); i++) {
      Column c = w.columns().get(i);
      String at = "expressionColumns[" + i + "].expression";
      String e = expr(gem, at, c.expression());
      String over = hasOver(e) ? e : e + " OVER (" + spec + ")";
      probes.add(new PipelinePlan.Probe(at, "SELECT " + over + " FROM " + ref(from)));
      added.add(over + " AS " + quote(c.target()));
      replaced.add(c.target());
    }
    List<String> inputColumns = columnsOrEmpty("in0", from);
    boolean replaces = false;
    for (String col : inputColumns) {
      replaces |= containsIgnoreCase(replaced, col);
    }
    if (replaces) {
      List<String> select = new ArrayList<>();
      for (String col : inputColumns) {
        if (!containsIgnoreCase(replaced, col)) {
          select.add(quote(col));
        }
      }
      select.addAll(added);
      return "SELECT " + String.join(",\n       ", select) + "\nFROM " + ref(from);
    }
    return "SELECT *,\n       " + String.join(",\n       ", added) + "\nFROM " + ref(from);
  }

  /** Whether a window expression has its own OVER clause ({@code " over "} or {@code " over("}, in any case). */
  private static boolean hasOver(String e) {
    for (int i = e.indexOf(' '); i >= 0 && i + 5 < e.length(); i = e.indexOf(' ', i + 1)) {
      if (e.regionMatches(true, i + 1, "over", 0, 4) && (e.charAt(i + 5) == ' ' || e.charAt(i + 5) == '(')) {
        return true;
      }
    }
    return false;
  }

  private static boolean containsIgnoreCase(List<String> names, String name) {
    for (String n : names) {
      if (n.equalsIgnoreCase(name)) {
        return true;
      }
    }
    return false;
  }

  private String selectList(Gem gem, String field, List<Column> cols, List<PipelinePlan.Probe> probes, String from) {
    List<String> out = new ArrayList<>();
    for (int i = 0; i < cols.size(); i++) {
      Column c = cols.get(i);
      if (c.target().isBlank()) {
        throw new InvalidInputException("gem '" + gem.name() + "' " + field + "[" + i + "].target", "the output column has no name");
      }
      String at = field + "[" + i + "].expression";
      String e = expr(gem, at, c.expression());
      String probeFrom = from == null ? "__FROM__" : ref(from);
      probes.add(new PipelinePlan.Probe(at, "SELECT " + e + " FROM " + probeFrom));
      out.add(isSame(e, c.target()) ? e : e + " AS " + quote(c.target()));
    }
    return String.join(",\n       ", out);
  }

  private static boolean isSame(String expression, String target) {
    return expression.equals(target) || expression.equals(quote(target));
  }

  private String orders(Gem gem, String field, List<Order> orders, List<PipelinePlan.Probe> probes, String from) {
    List<String> out = new ArrayList<>();
    for (int i = 0; i < orders.size(); i++) {
      Order o = orders.get(i);
      String at = field + "[" + i + "].expression";
      String e = expr(gem, at, o.expression());
      probes.add(new PipelinePlan.Probe(at, "SELECT " + e + " FROM " + ref(from)));
      out.add(e + " " + o.sort().sql());
    }
    return String.join(", ", out);
  }

  private String expr(Gem gem, String field, Expression e) {
    if (e.isBlank()) {
      throw new InvalidInputException("gem '" + gem.name() + "' " + field, "the expression is empty");
    }
    if (!e.isSql()) {
      throw new InvalidInputException("gem '" + gem.name() + "' " + field, "is a " + e.format()
          + " expression, which Spark SQL cannot run; it runs in the pipeline's generated " + e.format() + " code");
    }
    return config(e.text().trim());
  }

  private String config(String text) {
    return graph.configuration().substitute(text, config);
  }

  private DatasetSpec dataset(Gem gem, String id) {
    if (id.isBlank()) {
      throw new InvalidInputException("gem '" + gem.name() + "' properties.datasetId", "the gem names no dataset");
    }
    if (tablesForSources && !datasets.isKnown()) {
      return DatasetSpec.builder().name(DatasetLookup.nameOf(id)).format("catalogTable").table(DatasetLookup.nameOf(id)).build();
    }
    return datasets.find(id).orElseThrow(() -> new InvalidInputException("gem '" + gem.name() + "' properties.datasetId",
        "dataset '" + id + "' is not a dataset of the project"));
  }

  private List<String> columnsOf(Gem gem, String slug, String view) {
    List<String> cols = columnsOrEmpty(slug, view);
    if (cols.isEmpty()) {
      throw new InvalidInputException("gem '" + gem.name() + "' " + slug, "needs the columns of its input " + slug
          + " (" + view + "), which are not known: declare the dataset schemas, or run the pipeline so that the "
          + "engine resolves them");
    }
    return cols;
  }

  /** The columns of the view an input reads, where known (the engine's first); else empty. */
  private List<String> columnsOrEmpty(String slug, String view) {
    PipelineGraph.Upstream u = upstream == null ? null : upstream.get(slug);
    if (u != null && view.equals(u.gem().name())) {
      // the input reads its upstream gem's view: its columns are at that gem's position
      List<String> cols = resolved.isEmpty() ? null : resolved.get(view);
      if (cols != null) {
        return cols;
      }
      if (known == null) {
        known = graph.knownColumnsByPosition(datasets);
      }
      return known.get(u.position()).orElse(List.of());
    }
    if (byName == null) {
      byName = graph.knownColumns(datasets);
      byName.putAll(resolved);
    }
    List<String> cols = byName.get(view);
    return cols == null ? List.of() : cols;
  }

  /**
   * A view as the SQL names it. A gem's SQL names its input several times (the query, each field's
   * probe), so the last one quoted is kept.
   */
  private String ref(String view) {
    if (view == null || view != refView) {
      refQuoted = quote(view);
      refView = view;
    }
    return refQuoted;
  }

  private String sourceTable(GemSql s) {
    DatasetSpec d = s.dataset().orElseThrow();
    return d.table().map(SparkSqlCompiler::quoteQualified).orElse(quote(d.name()));
  }

  private String createSourceView(GemSql s) {
    DatasetSpec d = s.dataset().orElseThrow();
    String f = d.format().toLowerCase(Locale.ROOT);
    if (f.equals("catalogtable")) {
      return "CREATE OR REPLACE TEMPORARY VIEW " + quote(s.view()) + " AS\nSELECT * FROM "
          + quoteQualified(d.table().orElse(d.name()));
    }
    StringBuilder sb = new StringBuilder("CREATE OR REPLACE TEMPORARY VIEW ").append(quote(s.view()));
    if (!d.schema().isEmpty()) {
      sb.append(" (").append(d.schema().stream().map(c -> quote(c.name()) + " " + c.type().toUpperCase(Locale.ROOT))
          .collect(Collectors.joining(", "))).append(")");
    }
    sb.append("\nUSING ").append(f).append(options(d));
    return sb.toString();
  }

  private static String writeStatement(GemSql s) {
    DatasetSpec d = s.dataset().orElseThrow();
    String f = d.format().toLowerCase(Locale.ROOT);
    String query = s.sql();
    if (f.equals("catalogtable")) {
      return "INSERT OVERWRITE TABLE " + quoteQualified(d.table().orElse(d.name())) + "\n" + query;
    }
    String mode = d.options().getOrDefault("writeMode", "error");
    String note = mode.equals("overwrite") ? "" : "-- writeMode " + mode + ": Spark SQL only overwrites a directory\n";
    Map<String, String> opts = new LinkedHashMap<>(d.options());
    // as in a read's options: a password in the path's user info stays out of the script
    String path = CodeText.withoutCredentials(d.path().orElse(""));
    opts.remove("path");
    return note + "INSERT OVERWRITE DIRECTORY " + literal(path) + "\nUSING " + f + optionsOf(opts, false) + "\n" + query;
  }

  private static String options(DatasetSpec d) {
    Map<String, String> opts = new LinkedHashMap<>();
    d.path().ifPresent(p -> opts.put("path", p));
    opts.putAll(d.options());
    return optionsOf(opts, true);
  }

  private static String optionsOf(Map<String, String> opts, boolean forRead) {
    Map<String, String> kept = new java.util.TreeMap<>();
    opts.forEach((k, v) -> {
      if (v != null && !k.equals("writeMode") && !k.equals("partitionColumns") && !CodeText.isSecretKey(k)
          && !(k.equals("separator") && opts.containsKey("sep"))) {
        // Prophecy's dataset files say "separator"; Spark's CSV reader knows "sep" (or "delimiter")
        kept.put(k.equals("separator") ? "sep" : k, CodeText.withoutCredentials(v));
      }
    });
    if (kept.isEmpty()) {
      return "";
    }
    return "\nOPTIONS (" + kept.entrySet().stream().map(e -> quote(e.getKey()) + " " + literal(e.getValue()))
        .collect(Collectors.joining(", ")) + ")";
  }

  private static void require(Gem gem, String from, String slug) {
    if (from == null) {
      throw new InvalidInputException("gem '" + gem.name() + "' " + slug, "input " + slug + " is not connected");
    }
  }

  /** Column names in the expressions that are not function names, keywords or literals, lower case. */
  static Set<String> identifiers(String expression) {
    Set<String> out = new LinkedHashSet<>();
    Matcher m = WORD.matcher(expression);
    while (m.find()) {
      String w = m.group();
      if (w.startsWith("'") || w.startsWith("\"") || m.group(1) != null) {
        continue;
      }
      String bare = w.startsWith("`") ? w.substring(1, w.length() - 1) : w;
      if (!SQL_WORDS.contains(bare.toLowerCase(Locale.ROOT))) {
        out.add(bare.toLowerCase(Locale.ROOT));
      }
    }
    return out;
  }

  /** A back-quoted identifier. */
  public static String quote(String identifier) {
    return "`" + (identifier.indexOf('`') < 0 ? identifier : identifier.replace("`", "``")) + "`";
  }

  private static String quoteQualified(String name) {
    return java.util.Arrays.stream(name.split("\\.")).map(SparkSqlCompiler::quote).collect(Collectors.joining("."));
  }

  /** A Spark SQL string literal. */
  public static String literal(String value) {
    return "'" + value.replace("\\", "\\\\").replace("'", "\\'") + "'";
  }

  private static String indent(String sql) {
    return sql.lines().map(l -> "  " + l).collect(Collectors.joining("\n"));
  }
}
