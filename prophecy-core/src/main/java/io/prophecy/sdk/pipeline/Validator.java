package io.prophecy.sdk.pipeline;

import io.prophecy.sdk.model.DatasetSpec;
import io.prophecy.sdk.pipeline.GemSpec.Column;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Checks a pipeline without an engine. Schemas flow from dataset schemas through the gems whose output
 * columns are known; an expression that is a bare column name (or {@code in1.name} in a join) is
 * checked against the columns of its input. Anything richer is left to the engine's analysis.
 */
final class Validator {

  private final PipelineGraph graph;
  private final DatasetLookup datasets;
  private final List<Diagnostic> out = new ArrayList<>();
  /** The graph's gems and connections by position. */
  private final PipelineGraph.Wiring wiring;
  /** Output column names of gems, by gem position; null where not known. Lists that cannot be changed. */
  private final List<String>[] schemas;
  /** The position of the gem being checked. */
  private int at;

  /** Inside a subgraph, the Subgraph gem's own id: inner connections name it where data enters and leaves. */
  private final Optional<String> boundary;

  /** When only the schemas are wanted: the checks of names and connections, which give none, are left out. */
  private final boolean schemasOnly;

  /**
   * What each dataset id the run asked for was, in this graph and its subgraphs (one map for all): the
   * schemas hold for as long as the lookup answers the same.
   */
  private final Map<String, Optional<DatasetSpec>> looked;

  /** Inside a subgraph: the columns of the data entering it, by the Subgraph gem's input port id, where known. */
  private final Map<String, List<String>> entering;

  Validator(PipelineGraph graph, DatasetLookup datasets) {
    this(graph, datasets, Optional.empty(), false, new HashMap<>(), Map.of());
  }

  /** A validator that works out the gems' schemas; its diagnostics are not complete. */
  static Validator forSchemas(PipelineGraph graph, DatasetLookup datasets) {
    return new Validator(graph, datasets, Optional.empty(), true, new HashMap<>(), Map.of());
  }

  /**
   * A validator that works out the schemas of a Subgraph gem's inner graph, given the columns of the
   * gem's inputs by input slug, where known.
   */
  static Validator forSubgraphSchemas(Gem subgraph, PipelineGraph inner, DatasetLookup datasets,
      Map<String, List<String>> inputs) {
    return new Validator(inner, datasets, Optional.of(subgraph.id()), true, new HashMap<>(), entering(subgraph, inputs));
  }

  /** The columns of a Subgraph gem's inputs (by slug) by its input port ids, which inner connections name. */
  private static Map<String, List<String>> entering(Gem subgraph, Map<String, List<String>> inputs) {
    Map<String, List<String>> in = new HashMap<>();
    for (Port p : subgraph.inputs()) {
      List<String> cols = inputs.get(p.slug());
      if (cols != null) {
        in.put(p.id(), List.copyOf(cols)); // the validator's own lists (already so for its schemas)
      }
    }
    return in;
  }

  private Validator(PipelineGraph graph, DatasetLookup datasets, Optional<String> boundary, boolean schemasOnly,
      Map<String, Optional<DatasetSpec>> looked, Map<String, List<String>> entering) {
    this.graph = graph;
    this.entering = entering;
    this.looked = looked;
    this.datasets = datasets;
    this.boundary = boundary;
    this.schemasOnly = schemasOnly;
    this.wiring = graph.wiring();
    @SuppressWarnings("unchecked")
    List<String>[] none = new List[wiring.gems.length];
    this.schemas = none;
  }

  List<Diagnostic> run() {
    out.addAll(graph.readProblems());
    if (!schemasOnly) {
      if (boundary.isEmpty()) {
        // they follow from the graph alone, which does not change: found on its first validation
        List<Diagnostic> known = graph.structuralProblems();
        if (known == null) {
          int from = out.size();
          names();
          connections();
          graph.structuralProblems(List.copyOf(out.subList(from, out.size())));
        } else {
          out.addAll(known);
        }
      } else {
        names();
        connections();
      }
    }
    int[] order = wiring.order;
    if (order == null) {
      for (Gem g : wiring.gems) {
        g.problem().ifPresent(out::add);
      }
      String cycle = graph.cycle().orElseThrow();
      for (Gem g : wiring.gems) {
        if (cycle.contains(g.name())) {
          out.add(Diagnostic.error(g.name(), null, "pipeline '" + graph.name() + "': " + cycle
              + "; a gem cannot read, directly or not, from its own output"));
          break;
        }
      }
      return out;
    }
    for (int p : order) {
      Gem g = wiring.gems[p];
      at = p;
      if (wiring.problems[p] != null) {
        out.add(wiring.problems[p]);
      }
      gem(g);
    }
    return out;
  }

  private void names() {
    Set<String> seen = new HashSet<>(wiring.gems.length * 2);
    for (Gem g : wiring.gems) {
      if (!seen.add(g.name())) {
        out.add(Diagnostic.error(g.name(), "metadata.label", "two gems are named '" + g.name() + "'; gem names must be unique"));
      }
    }
  }

  private void connections() {
    List<Connection> all = graph.connections();
    for (int i = 0; i < wiring.sources.length; i++) {
      Connection c = all.get(i);
      // by id, as connections name gems; else as find() does, by name too
      Optional<Gem> source = wiring.sources[i] != null ? Optional.of(wiring.sources[i]) : graph.find(c.source());
      Optional<Gem> target = wiring.targets[i] != null ? Optional.of(wiring.targets[i]) : graph.find(c.target());
      if (boundary.isPresent() && (boundary.get().equals(c.source()) || boundary.get().equals(c.target()))) {
        continue; // data entering or leaving the subgraph
      }
      if (source.isEmpty() || target.isEmpty()) {
        out.add(Diagnostic.error(source.or(() -> target).map(Gem::name).orElse(null), "connection " + c.id(),
            "connects " + c.source() + " to " + c.target() + ", but " + (source.isEmpty() ? c.source() : c.target())
                + " is not a gem of this pipeline"));
        continue;
      }
      if (!hasPort(source.get().outputs(), c.sourcePort())) {
        out.add(Diagnostic.error(source.get().name(), "connection " + c.id(),
            "leaves from port " + c.sourcePort() + ", which is not an output of this gem"));
      }
      if (!hasPort(target.get().inputs(), c.targetPort())) {
        out.add(Diagnostic.error(target.get().name(), "connection " + c.id(),
            "arrives at port " + c.targetPort() + ", which is not an input of this gem"));
      }
    }
    for (int p = 0; p < wiring.gems.length; p++) {
      Gem g = wiring.gems[p];
      for (Port in : g.inputs()) {
        int n = 0;
        for (Connection c : wiring.into[p]) {
          if (c.targetPort().equals(in.id())) {
            n++;
          }
        }
        if (n == 0) {
          out.add(Diagnostic.error(g.name(), in.slug(), "input " + in.slug() + " is not connected"));
        } else if (n > 1) {
          out.add(Diagnostic.error(g.name(), in.slug(), "input " + in.slug() + " has " + n + " connections; an input takes one"));
        }
      }
      if (!(g.spec() instanceof GemSpec.Target)) {
        for (Port o : g.outputs()) {
          boolean used = false;
          for (Connection c : wiring.outOf[p]) {
            used |= c.sourcePort().equals(o.id());
          }
          if (!used) {
            out.add(Diagnostic.warning(g.name(), o.slug(), "output " + o.slug() + " is not connected to any gem"));
          }
        }
      }
    }
  }

  private static boolean hasPort(List<Port> ports, String id) {
    for (Port p : ports) {
      if (p.id().equals(id)) {
        return true;
      }
    }
    return false;
  }

  private void gem(Gem g) {
    String[] slugs = wiring.inputSlugs[at];
    int[] from = wiring.inputGems[at];
    Map<String, List<String>> connected;
    if (slugs.length == 1) {
      connected = Collections.singletonMap(slugs[0], schemas[from[0]]); // the usual case; the schema may be null
    } else {
      connected = new LinkedHashMap<>(slugs.length * 2);
      for (int j = 0; j < slugs.length; j++) {
        connected.put(slugs[j], schemas[from[j]]);
      }
    }
    Map<String, List<String>> inputs = entering.isEmpty() ? connected : withEntering(g, connected);
    List<String> in0 = inputs.get("in0");
    GemSpec spec = g.spec();
    if (spec instanceof GemSpec.Source s) {
      if (!g.inputs().isEmpty()) {
        out.add(Diagnostic.error(g.name(), "in0", "a Source gem takes no input"));
      }
      dataset(g, s.datasetId()).ifPresent(d -> {
        if (!d.schema().isEmpty()) {
          schemas[at] = d.schema().stream().map(DatasetSpec.Column::name).toList();
        }
      });
    } else if (spec instanceof GemSpec.Target t) {
      if (g.inputs().isEmpty()) {
        out.add(Diagnostic.error(g.name(), null, "a Target gem needs an input"));
      }
      dataset(g, t.datasetId());
    } else if (spec instanceof GemSpec.Reformat r) {
      if (r.columns().isEmpty()) {
        out.add(Diagnostic.error(g.name(), "expressions", "a Reformat gem needs at least one output column"));
      }
      columns(g, "expressions", r.columns(), in0, inputs);
      schemas[at] = targets(r.columns());
    } else if (spec instanceof GemSpec.Filter f) {
      expression(g, "condition", f.condition(), in0, inputs);
      pass(g, in0);
    } else if (spec instanceof GemSpec.Join j) {
      join(g, j, inputs);
    } else if (spec instanceof GemSpec.Aggregate a) {
      if (a.aggregates().isEmpty() && a.groupBy().isEmpty()) {
        out.add(Diagnostic.error(g.name(), "aggregate", "an Aggregate gem needs group-by columns or aggregates"));
      }
      columns(g, "groupBy", a.groupBy(), in0, inputs);
      columns(g, "aggregate", a.aggregates(), in0, inputs);
      a.pivotColumn().ifPresent(p -> expression(g, "pivotColumn", p, in0, inputs));
      List<Column> all = new ArrayList<>(a.groupBy());
      all.addAll(a.aggregates());
      if (a.pivotColumn().isEmpty()) {
        duplicates(g, "aggregate", all);
        schemas[at] = targets(all);
      }
    } else if (spec instanceof GemSpec.OrderBy o) {
      if (o.orders().isEmpty()) {
        out.add(Diagnostic.error(g.name(), "orders", "an OrderBy gem needs at least one sort key"));
      }
      for (int i = 0; i < o.orders().size(); i++) {
        expression(g, "orders", i, ".expression", o.orders().get(i).expression(), in0, inputs);
      }
      pass(g, in0);
    } else if (spec instanceof GemSpec.Limit l) {
      if (l.count().isBlank()) {
        out.add(Diagnostic.error(g.name(), "limit", "the limit is empty"));
      } else if (integer(l.count().text().trim()) && Long.parseLong(l.count().text().trim()) < 0) {
        out.add(Diagnostic.error(g.name(), "limit", "the limit must not be negative, was " + l.count().text().trim()));
      }
      pass(g, in0);
    } else if (spec instanceof GemSpec.Deduplicate d) {
      if (d.type() != GemSpec.DedupType.DISTINCT && d.columns().isEmpty()) {
        out.add(Diagnostic.error(g.name(), "dedupColumns", "deduplicating by " + d.type().spelling()
            + " needs key columns"));
      }
      for (int i = 0; i < d.columns().size(); i++) {
        expression(g, "dedupColumns", i, "", Expression.sql(d.columns().get(i)), in0, inputs);
      }
      if ((d.type() == GemSpec.DedupType.FIRST || d.type() == GemSpec.DedupType.LAST) && d.orders().isEmpty()) {
        out.add(Diagnostic.warning(g.name(), "orders", "first and last rows are chosen by an order; without one "
            + "the row kept is arbitrary"));
      }
      pass(g, in0);
    } else if (spec instanceof GemSpec.SetOperation s) {
      if (g.inputs().size() < 2) {
        out.add(Diagnostic.error(g.name(), null, "a SetOperation gem needs two or more inputs"));
      }
      pass(g, in0);
    } else if (spec instanceof GemSpec.SchemaTransform s) {
      schemaTransform(g, s, in0, inputs);
    } else if (spec instanceof GemSpec.Repartition r) {
      if (r.type() != GemSpec.RepartitionType.RANDOM && r.type() != GemSpec.RepartitionType.COALESCE
          && r.keys().isEmpty()) {
        out.add(Diagnostic.error(g.name(), "expressions", r.type().spelling() + " needs partitioning expressions"));
      }
      if (r.type() == GemSpec.RepartitionType.COALESCE && r.partitions().isEmpty()) {
        out.add(Diagnostic.error(g.name(), "nPartitions", "coalesce needs a number of partitions"));
      }
      pass(g, in0);
    } else if (spec instanceof GemSpec.WindowFunction w) {
      if (w.columns().isEmpty()) {
        out.add(Diagnostic.error(g.name(), "expressionColumns", "a WindowFunction gem needs at least one column"));
      }
      columns(g, "expressionColumns", w.columns(), in0, inputs);
      for (int i = 0; i < w.partitionBy().size(); i++) {
        expression(g, "partitionColumns", i, "", w.partitionBy().get(i), in0, inputs);
      }
      for (int i = 0; i < w.orderBy().size(); i++) {
        expression(g, "orderColumns", i, ".expression", w.orderBy().get(i).expression(), in0, inputs);
      }
      if (in0 != null) {
        List<String> all = new ArrayList<>(in0);
        targets(w.columns()).stream().filter(c -> indexOf(all, c) < 0).forEach(all::add);
        schemas[at] = List.copyOf(all);
      }
    } else if (spec instanceof GemSpec.SqlStatement s) {
      if (s.sql().isBlank()) {
        out.add(Diagnostic.error(g.name(), "sqlStatement", "the SQL statement is empty"));
      }
    } else if (spec instanceof GemSpec.Script s) {
      if (s.code().isBlank()) {
        out.add(Diagnostic.error(g.name(), "script", "the script is empty"));
      }
      out.add(Diagnostic.warning(g.name(), "script", "a Script gem holds " + s.language()
          + " code: it runs in generated " + s.language() + " code, not on a SQL-only fabric"));
    } else if (spec instanceof GemSpec.Subgraph s) {
      g.subgraph().ifPresent(sub -> subgraph(g, sub, inputs));
    } else if (spec instanceof GemSpec.Other o && g.problem().isEmpty()) {
      // (a known gem type whose properties could not be read has said so already)
      out.add(Diagnostic.error(g.name(), "component", o.component().equals("Todo")
        ? "a Todo gem is a placeholder a conversion tool left; replace it with a real gem"
        : "gem type '" + o.component() + "' is not one the SDK compiles; supported: Source, Target, Reformat, "
            + "Filter, Join, Aggregate, OrderBy, Limit, Deduplicate, SetOperation, SchemaTransform, Repartition, "
            + "WindowFunction, SQLStatement, Script, Subgraph"));
    }
  }

  /**
   * A gem's inputs with those that enter the subgraph from outside (connected from the Subgraph gem's
   * own input ports), whose columns the outer graph knew.
   */
  private Map<String, List<String>> withEntering(Gem g, Map<String, List<String>> inputs) {
    Map<String, List<String>> all = null;
    for (Connection c : wiring.into[at]) {
      List<String> cols = boundary.get().equals(c.source()) ? entering.get(c.sourcePort()) : null;
      if (cols == null) {
        continue;
      }
      for (Port p : g.inputs()) {
        if (p.id().equals(c.targetPort()) && inputs.get(p.slug()) == null) {
          if (all == null) {
            all = new LinkedHashMap<>(inputs);
          }
          all.put(p.slug(), cols);
        }
      }
    }
    return all == null ? inputs : all;
  }

  /**
   * Checks a subgraph with the columns of the data entering it, and gives the Subgraph gem the columns of
   * the inner gem that leaves it, where known.
   */
  private void subgraph(Gem g, PipelineGraph sub, Map<String, List<String>> inputs) {
    Validator inner = new Validator(sub, datasets, Optional.of(g.id()), schemasOnly, looked, entering(g, inputs));
    for (Diagnostic d : inner.run()) {
      out.add(new Diagnostic(d.severity(), Optional.of(g.name() + "/" + d.gem().orElse("")), d.location(), d.message()));
    }
    List<Connection> all = sub.connections();
    for (int c = 0; c < all.size(); c++) {
      Gem from = inner.wiring.sources[c];
      if (all.get(c).target().equals(g.id()) && from != null) {
        for (int p = 0; p < inner.wiring.gems.length; p++) {
          if (inner.wiring.gems[p] == from && inner.schemas[p] != null) {
            schemas[at] = inner.schemas[p];
          }
        }
      }
    }
  }

  private Optional<DatasetSpec> dataset(Gem g, String id) {
    if (id.isBlank()) {
      out.add(Diagnostic.error(g.name(), "properties.datasetId", "the gem names no dataset"));
      return Optional.empty();
    }
    if (!datasets.isKnown()) {
      return Optional.empty();
    }
    Optional<DatasetSpec> d = datasets.find(id);
    looked.putIfAbsent(id, d);
    if (d.isEmpty()) {
      out.add(Diagnostic.error(g.name(), "properties.datasetId", "dataset '" + id + "' is not a dataset of the project"));
    }
    return d;
  }

  private void join(Gem g, GemSpec.Join j, Map<String, List<String>> inputs) {
    if (g.inputs().size() < 2) {
      out.add(Diagnostic.error(g.name(), null, "a Join gem needs two or more inputs"));
    }
    Set<String> aliases = new HashSet<>();
    for (int i = 0; i < j.conditions().size(); i++) {
      GemSpec.JoinCondition c = j.conditions().get(i);
      aliases.add(c.alias());
      if (g.input(c.alias()).isEmpty()) {
        out.add(Diagnostic.error(g.name(), "conditions[" + i + "].alias", "'" + c.alias() + "' is not an input of this gem"));
      }
      if (c.type() != GemSpec.JoinType.CROSS) {
        expression(g, "conditions", i, ".expression", c.on(), null, inputs);
      }
    }
    // The head is the input no condition names (in0 in what Prophecy writes); every other input needs one.
    String head = g.inputs().stream().map(Port::slug).filter(s -> !aliases.contains(s)).findFirst().orElse("in0");
    for (Port p : g.inputs()) {
      if (!p.slug().equals(head) && !aliases.contains(p.slug())) {
        out.add(Diagnostic.error(g.name(), p.slug(), "input " + p.slug() + " has no join condition"));
      }
    }
    columns(g, "expressions", j.columns(), null, inputs);
    j.where().ifPresent(w -> expression(g, "whereClause", w, null, inputs));
    if (!j.columns().isEmpty()) {
      schemas[at] = targets(j.columns());
    } else if (inputs.values().stream().allMatch(s -> s != null)) {
      List<String> all = new ArrayList<>();
      Map<String, String> owner = new HashMap<>();
      inputs.forEach((slug, cols) -> {
        boolean keepsRight = j.conditions().stream().filter(c -> c.alias().equals(slug))
            .noneMatch(c -> c.type() == GemSpec.JoinType.LEFT_SEMI || c.type() == GemSpec.JoinType.LEFT_ANTI);
        if (slug.equals(head) || keepsRight) {
          for (String c : cols) {
            String before = owner.putIfAbsent(c.toLowerCase(Locale.ROOT), slug);
            if (before != null) {
              out.add(Diagnostic.error(g.name(), "expressions", "column '" + c + "' comes from both " + before + " and "
                  + slug + "; list the output columns to choose or rename one"));
            }
            all.add(c);
          }
        }
      });
      schemas[at] = List.copyOf(all);
    }
  }

  private void schemaTransform(Gem g, GemSpec.SchemaTransform s, List<String> in0, Map<String, List<String>> inputs) {
    List<String> cols = in0 == null ? null : new ArrayList<>(in0);
    for (int i = 0; i < s.operations().size(); i++) {
      GemSpec.SchemaOp op = s.operations().get(i);
      String field = "transformations[" + i + "]";
      String col = op.column();
      if (op.column().isBlank()) {
        out.add(Diagnostic.error(g.name(), field, "names no column"));
        continue;
      }
      switch (op.kind()) {
        case ADD_REPLACE -> {
          Expression e = op.expression().orElse(Expression.sql(""));
          if (cols == null) {
            expression(g, field + ".expression", e, null, inputs);
          } else {
            checkAgainst(g, field + ".expression", e, cols);
            if (indexOf(cols, col) < 0) {
              cols.add(col);
            }
          }
        }
        case DROP -> {
          if (cols != null && indexOf(cols, col) < 0) {
            out.add(Diagnostic.error(g.name(), field, "drops column '" + op.column() + "', which the input does not have"));
          } else if (cols != null) {
            cols.remove(indexOf(cols, col));
          }
        }
        case RENAME -> {
          if (op.newName().filter(n -> !n.isBlank()).isEmpty()) {
            out.add(Diagnostic.error(g.name(), field, "renames '" + op.column() + "' to nothing"));
          } else if (cols != null) {
            int at = indexOf(cols, col);
            if (at < 0) {
              out.add(Diagnostic.error(g.name(), field, "renames column '" + op.column() + "', which the input does not have"));
            } else {
              cols.set(at, op.newName().get());
            }
          }
        }
      }
    }
    if (cols != null) {
      schemas[at] = List.copyOf(cols);
    }
  }

  private void pass(Gem g, List<String> in0) {
    if (in0 != null) {
      schemas[at] = in0;
    }
  }

  private void columns(Gem g, String field, List<Column> columns, List<String> in0, Map<String, List<String>> inputs) {
    for (int i = 0; i < columns.size(); i++) {
      Column c = columns.get(i);
      if (c.target().isBlank()) {
        out.add(Diagnostic.error(g.name(), field + "[" + i + "].target", "the output column has no name"));
      }
      expression(g, field, i, ".expression", c.expression(), in0, inputs);
    }
    duplicates(g, field, columns);
  }

  private void duplicates(Gem g, String field, List<Column> columns) {
    if (columns.size() <= 16) {
      // a few columns: compared pairwise, with nothing to allocate
      for (int i = 1; i < columns.size(); i++) {
        String t = columns.get(i).target();
        if (t.isBlank()) {
          continue;
        }
        for (int k = 0; k < i; k++) {
          if (columns.get(k).target().equalsIgnoreCase(t)) {
            out.add(Diagnostic.error(g.name(), field + "[" + i + "].target", "output column '" + t + "' is defined twice"));
            break;
          }
        }
      }
      return;
    }
    Set<String> seen = new HashSet<>();
    for (int i = 0; i < columns.size(); i++) {
      String t = columns.get(i).target().toLowerCase(Locale.ROOT);
      if (!t.isBlank() && !seen.add(t)) {
        out.add(Diagnostic.error(g.name(), field + "[" + i + "].target", "output column '" + columns.get(i).target()
            + "' is defined twice"));
      }
    }
  }

  private void expression(Gem g, String field, Expression e, List<String> in0, Map<String, List<String>> inputs) {
    expression(g, field, -1, "", e, in0, inputs);
  }

  /**
   * Checks the expression of the field {@code field[index]suffix} ({@code field} alone for a negative
   * index), whose name is put together only for a diagnostic.
   */
  private void expression(Gem g, String field, int index, String suffix, Expression e, List<String> in0,
      Map<String, List<String>> inputs) {
    if (e.isBlank()) {
      out.add(Diagnostic.error(g.name(), fieldName(field, index, suffix), "the expression is empty"));
      return;
    }
    if (!e.isSql()) {
      out.add(Diagnostic.warning(g.name(), fieldName(field, index, suffix), "a " + e.format()
          + " expression runs only in generated " + e.format() + " code, not in Spark SQL"));
      return;
    }
    for (String ref : Configuration.references(e.text())) {
      if (graph.configuration().field(ref).isEmpty()) {
        out.add(Diagnostic.error(g.name(), fieldName(field, index, suffix), "refers to configuration '" + ref
            + "', which the pipeline does not declare"));
      }
    }
    String text = e.text().trim();
    int dot = qualifiedDot(text);
    if (dot > 0) {
      String input = text.substring(0, dot);
      List<String> cols = inputs.get(input);
      if (!inputs.containsKey(input)) {
        out.add(Diagnostic.error(g.name(), fieldName(field, index, suffix), "refers to " + input
            + ", which is not an input of this gem"));
      } else if (cols != null) {
        checkAgainst(g, field, index, suffix, text.substring(dot + 1), cols);
      }
    } else if (in0 != null) {
      checkAgainst(g, field, index, suffix, text, in0);
    }
  }

  private static String fieldName(String field, int index, String suffix) {
    return index < 0 ? field : field + "[" + index + "]" + suffix;
  }

  private void checkAgainst(Gem g, String field, Expression e, List<String> columns) {
    checkAgainst(g, field, -1, "", e.text().trim(), columns);
  }

  /** Reports {@code text} (trimmed) when it is a bare column name that is not one of the columns. */
  private void checkAgainst(Gem g, String field, int index, String suffix, String text, List<String> columns) {
    if (!identifier(text, 0)) {
      return;
    }
    String name = text.replace("`", "");
    if (indexOf(columns, name) < 0 && !Set.of("true", "false", "null").contains(name.toLowerCase(Locale.ROOT))) {
      out.add(Diagnostic.error(g.name(), fieldName(field, index, suffix), "column '" + name
          + "' does not exist in the input; its columns: " + columns));
    }
  }

  /** Whether {@code text} from {@code from} is one identifier, optionally in backticks. */
  static boolean identifier(String text, int from) {
    int i = from;
    int n = text.length();
    if (i < n && text.charAt(i) == '`') {
      i++;
    }
    if (i >= n || !identifierStart(text.charAt(i))) {
      return false;
    }
    i++;
    while (i < n && (identifierStart(text.charAt(i)) || (text.charAt(i) >= '0' && text.charAt(i) <= '9'))) {
      i++;
    }
    if (i < n && text.charAt(i) == '`') {
      i++;
    }
    return i == n;
  }

  private static boolean integer(String text) {
    int from = text.startsWith("-") ? 1 : 0;
    if (text.length() == from) {
      return false;
    }
    for (int i = from; i < text.length(); i++) {
      if (text.charAt(i) < '0' || text.charAt(i) > '9') {
        return false;
      }
    }
    return true;
  }

  private static boolean identifierStart(char c) {
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || c == '_';
  }

  /** For {@code in1.name}, the index of the dot; -1 when the text is not an input's column. */
  static int qualifiedDot(String text) {
    if (!text.startsWith("in")) {
      return -1;
    }
    int i = 2;
    while (i < text.length() && text.charAt(i) >= '0' && text.charAt(i) <= '9') {
      i++;
    }
    if (i == 2 || i >= text.length() || text.charAt(i) != '.') {
      return -1;
    }
    return identifier(text, i + 1) ? i : -1;
  }

  private static List<String> targets(List<Column> columns) {
    String[] names = new String[columns.size()];
    for (int i = 0; i < names.length; i++) {
      names[i] = columns.get(i).target();
    }
    return List.of(names);
  }

  private static int indexOf(List<String> columns, String name) {
    for (int i = 0; i < columns.size(); i++) {
      if (columns.get(i).equalsIgnoreCase(name)) {
        return i;
      }
    }
    return -1;
  }

  /**
   * Output columns of the gems whose schema is known after {@link #run()}, by gem name, in dependency
   * order: a new map sized for every gem, whose lists cannot be changed.
   */
  Map<String, List<String>> schemasByName() {
    return schemasByName(wiring, schemas);
  }

  /** The datasets the run looked up, by id, with what the lookup gave; the run's own map. */
  Map<String, Optional<DatasetSpec>> looked() {
    return looked;
  }

  /** Output columns by gem position after {@link #run()} (null where not known); the run's own array. */
  List<String>[] schemas() {
    return schemas;
  }

  /** {@link #schemasByName()} of a run's {@link #schemas()}. */
  static Map<String, List<String>> schemasByName(PipelineGraph.Wiring wiring, List<String>[] schemas) {
    int n = wiring.gems.length;
    Map<String, List<String>> known = new LinkedHashMap<>(n + n / 3 + 1);
    if (wiring.order != null) {
      for (int p : wiring.order) {
        if (schemas[p] != null) {
          known.put(wiring.gems[p].name(), schemas[p]);
        }
      }
    }
    return known;
  }
}
