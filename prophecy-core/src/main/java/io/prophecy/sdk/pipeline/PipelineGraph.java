package io.prophecy.sdk.pipeline;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.prophecy.sdk.model.DatasetSpec;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeSet;
import java.util.function.Consumer;

/**
 * A pipeline as a graph of gems joined by connections: what a {@code workflow.latest.json} describes.
 * Immutable and thread-safe. Made with {@link #builder(String)} or read from a workflow file; both give
 * equal graphs for equal pipelines.
 */
public final class PipelineGraph {
  /**
   * Where a gem input takes its data from: the gem, its output port, and the gem's position in
   * {@link #gems()} (the index into {@link #knownColumnsByPosition}).
   */
  public record Upstream(Gem gem, Port port, int position) {}

  /** A gem with where each of its connected inputs takes its data from, as {@link #upstream(Gem)} gives them. */
  public record Wired(Gem gem, Map<String, Upstream> inputs) {}

  private final String name;
  private final ObjectNode document;
  private final Map<String, Gem> gems;
  private final List<Connection> connections;
  private final Configuration configuration;
  private final List<Diagnostic> readProblems;
  private final Map<String, List<Connection>> byTarget = new HashMap<>();
  private final Map<String, List<Connection>> bySource = new HashMap<>();
  /**
   * The gems' connections, inputs and dependency order, resolved into positions; worked out on first use
   * (the graph does not change).
   */
  private volatile Wiring wiring;
  /** {@link #positions()}, kept once {@link #upstream} is asked about a gem of another graph. */
  private volatile Map<String, Integer> foreignPositions;
  /** The problems of names and connections a validation found, which follow from the graph alone; null before. */
  private volatile List<Diagnostic> structural;
  /** {@link #wiredOrder()}, worked out on first use. */
  private volatile List<Wired> wiredOrder;
  /** The schemas the last validation worked out, for {@link #knownColumns} to reuse; null before one. */
  private volatile SchemaFlow schemaFlow;

  /**
   * A validation's schemas with what it knew them from: the lookup, and each dataset it asked that lookup
   * for with the answer. The graph does not change, so the schemas hold while the same lookup gives the
   * same datasets.
   */
  private record SchemaFlow(DatasetLookup lookup, Map<String, Optional<DatasetSpec>> datasets, List<String>[] schemas) {
    boolean holdsFor(DatasetLookup now) {
      if (now != lookup) {
        return false;
      }
      for (var e : datasets.entrySet()) {
        Optional<DatasetSpec> then = e.getValue();
        Optional<DatasetSpec> answer = now.find(e.getKey());
        if (answer.isPresent() != then.isPresent() || (answer.isPresent() && answer.get() != then.get()
            && !answer.get().equals(then.get()))) {
          return false;
        }
      }
      return true;
    }
  }

  PipelineGraph(String name, ObjectNode document, List<Gem> gems, List<Connection> connections,
      Configuration configuration, List<Diagnostic> readProblems) {
    this.name = name;
    this.document = withoutGraph(document);
    Map<String, Gem> byId = new LinkedHashMap<>();
    gems.forEach(g -> byId.put(g.id(), g));
    this.gems = Collections.unmodifiableMap(byId);
    this.connections = List.copyOf(connections);
    this.configuration = configuration;
    this.readProblems = List.copyOf(readProblems);
    for (Connection c : this.connections) {
      byTarget.computeIfAbsent(c.target(), k -> new ArrayList<>()).add(c);
      bySource.computeIfAbsent(c.source(), k -> new ArrayList<>()).add(c);
    }
  }

  /** The connections arriving at a gem, by its id. */
  /**
   * The document without its processes and connections, which the gems and connections hold: a shallow
   * copy whose two keys keep their places (with empty values) so that the file is written in its order.
   */
  private static ObjectNode withoutGraph(ObjectNode document) {
    if (!document.has("processes") && !document.has("connections")) {
      return document;
    }
    ObjectNode out = Json.object();
    document.fields().forEachRemaining(e -> out.set(e.getKey(), switch (e.getKey()) {
      case "processes" -> Json.object();
      case "connections" -> Json.array();
      default -> e.getValue();
    }));
    return out;
  }

  /**
   * The graph's gems and connections resolved once into positions, for the validator's passes over every
   * gem: no lookup by id per gem. Positions are the gems' places in {@link #gems()}.
   */
  static final class Wiring {
    private static final Connection[] NONE = new Connection[0];

    /** The gems in the graph's order. */
    final Gem[] gems;
    /** Per connection (as {@link #connections()} lists them): the gem it leaves or enters; null if none has that id. */
    final Gem[] sources;
    final Gem[] targets;
    /** Per gem position: the connections that enter it and that leave it. */
    final Connection[][] into;
    final Connection[][] outOf;
    /** Per gem position, as {@link #upstream(Gem)} orders them: the input slugs and the positions of their gems. */
    final String[][] inputSlugs;
    final int[][] inputGems;
    /** Gem positions in dependency order; null when the gems form a cycle. */
    final int[] order;
    /** Per gem position: the problem met reading the gem, or null. */
    final Diagnostic[] problems;

    /** Each gem's inputs as {@link PipelineGraph#upstream(Gem)} gives them, by the gem itself (identity: a gem of another graph is not found). */
    final Map<Gem, Map<String, Upstream>> upstreams;
    /** The gems in dependency order, or the message naming a cycle. */
    final Object sorted;

    /**
     * Works everything out from positions: each connection's ends are looked up by id once, and the rest
     * (each gem's connections and inputs, the dependency order) follows by position, with no lookup by
     * id per gem.
     */
    private Wiring(PipelineGraph g) {
      gems = g.gems.values().toArray(new Gem[0]);
      int n = gems.length;
      Map<String, Integer> position = g.positions(); // not kept: a graph's heap stays as it was before its use
      int m = g.connections.size();
      sources = new Gem[m];
      targets = new Gem[m];
      int[] from = new int[m];
      int[] to = new int[m];
      int[] intoCount = new int[n];
      int[] outCount = new int[n];
      for (int c = 0; c < m; c++) {
        Connection conn = g.connections.get(c);
        Integer s = position.get(conn.source());
        Integer t = position.get(conn.target());
        from[c] = s == null ? -1 : s;
        to[c] = t == null ? -1 : t;
        if (s != null) {
          sources[c] = gems[s];
          outCount[s]++;
        }
        if (t != null) {
          targets[c] = gems[t];
          intoCount[t]++;
        }
      }
      // each gem's connections in the connections' order, with the positions they come from
      into = new Connection[n][];
      outOf = new Connection[n][];
      int[][] intoFrom = new int[n][];
      int[][] next = new int[n][]; // the gems each gem feeds, once per connection between two gems
      int[] nextCount = new int[n];
      for (int i = 0; i < n; i++) {
        into[i] = intoCount[i] == 0 ? NONE : new Connection[intoCount[i]];
        outOf[i] = outCount[i] == 0 ? NONE : new Connection[outCount[i]];
        intoFrom[i] = new int[intoCount[i]];
        intoCount[i] = 0;
        outCount[i] = 0;
      }
      for (int c = 0; c < m; c++) {
        Connection conn = g.connections.get(c);
        if (to[c] >= 0) {
          intoFrom[to[c]][intoCount[to[c]]] = from[c];
          into[to[c]][intoCount[to[c]]++] = conn;
        }
        if (from[c] >= 0) {
          outOf[from[c]][outCount[from[c]]++] = conn;
          if (to[c] >= 0) {
            nextCount[from[c]]++;
          }
        }
      }
      int[] indegree = new int[n];
      for (int i = 0; i < n; i++) {
        next[i] = new int[nextCount[i]];
        nextCount[i] = 0;
      }
      for (int c = 0; c < m; c++) {
        if (from[c] >= 0 && to[c] >= 0) {
          next[from[c]][nextCount[from[c]]++] = to[c];
          indegree[to[c]]++;
        }
      }
      inputSlugs = new String[n][];
      inputGems = new int[n][];
      Map<Gem, Map<String, Upstream>> made = new java.util.IdentityHashMap<>(n);
      for (int i = 0; i < n; i++) {
        Map<String, Upstream> up = inputs(gems, i, into[i], intoFrom[i]);
        made.put(gems[i], up);
        inputSlugs[i] = new String[up.size()];
        inputGems[i] = new int[up.size()];
        int j = 0;
        for (var e : up.entrySet()) {
          inputSlugs[i][j] = e.getKey();
          inputGems[i][j++] = e.getValue().position();
        }
      }
      upstreams = made;
      problems = new Diagnostic[n];
      for (int i = 0; i < n; i++) {
        problems[i] = gems[i].problem().orElse(null);
      }
      int[] placed = placed(indegree, next);
      order = placed.length == n ? placed : null;
      sorted = order != null ? orderedGems(order) : cycle(next, placed);
    }

    /** A gem's inputs, as {@link PipelineGraph#upstream(Gem)} gives them: for each input port, the first connection into it whose output port exists. */
    private static Map<String, Upstream> inputs(Gem[] gems, int at, Connection[] into, int[] intoFrom) {
      List<Port> ports = gems[at].inputs();
      if (ports.isEmpty()) {
        return Map.of();
      }
      if (ports.size() == 1) {
        // the usual gem: one input, kept in one small map object
        Upstream u = upstream(gems, ports.get(0), into, intoFrom);
        return u == null ? Map.of() : Collections.singletonMap(ports.get(0).slug(), u);
      }
      Map<String, Upstream> out = new LinkedHashMap<>();
      for (Port in : ports) {
        Upstream u = upstream(gems, in, into, intoFrom);
        if (u != null) {
          out.putIfAbsent(in.slug(), u);
        }
      }
      return Collections.unmodifiableMap(out);
    }

    private static Upstream upstream(Gem[] gems, Port in, Connection[] into, int[] intoFrom) {
      for (int k = 0; k < into.length; k++) {
        Connection c = into[k];
        if (intoFrom[k] >= 0 && c.targetPort().equals(in.id())) {
          Gem source = gems[intoFrom[k]];
          for (Port p : source.outputs()) {
            if (p.id().equals(c.sourcePort())) {
              return new Upstream(source, p, intoFrom[k]);
            }
          }
        }
      }
      return null;
    }

    /**
     * The positions sorting can place, in dependency order: a gem once every gem it reads from is placed,
     * those ready first in the listed order (Kahn's algorithm with a queue). All of them unless some gems
     * form a cycle.
     */
    private static int[] placed(int[] indegree, int[][] next) {
      int n = indegree.length;
      int[] queue = new int[n];
      int tail = 0;
      for (int i = 0; i < n; i++) {
        if (indegree[i] == 0) {
          queue[tail++] = i;
        }
      }
      for (int head = 0; head < tail; head++) {
        for (int t : next[queue[head]]) {
          if (--indegree[t] == 0) {
            queue[tail++] = t;
          }
        }
      }
      return tail == n ? queue : java.util.Arrays.copyOf(queue, tail);
    }

    private List<Gem> orderedGems(int[] order) {
      Gem[] out = new Gem[order.length];
      for (int k = 0; k < order.length; k++) {
        out[k] = gems[order[k]];
      }
      return List.of(out);
    }

    /** The message naming the gems on a cycle: those sorting could not place, less those that lead nowhere. */
    private String cycle(int[][] next, int[] placed) {
      int n = gems.length;
      boolean[] left = new boolean[n];
      java.util.Arrays.fill(left, true);
      for (int p : placed) {
        left[p] = false;
      }
      boolean pruned = true;
      while (pruned) {
        pruned = false;
        for (int i = 0; i < n; i++) {
          if (left[i]) {
            boolean leads = false;
            for (int t : next[i]) {
              leads |= left[t];
            }
            if (!leads) {
              left[i] = false;
              pruned = true;
            }
          }
        }
      }
      TreeSet<String> cycle = new TreeSet<>();
      for (int i = 0; i < n; i++) {
        if (left[i]) {
          cycle.add(gems[i].name());
        }
      }
      return "the gems " + cycle + " form a cycle";
    }
  }

  /** The resolved wiring, worked out once (a race works it out twice and keeps an equal one). */
  Wiring wiring() {
    Wiring w = wiring;
    if (w == null) {
      wiring = w = new Wiring(this);
    }
    return w;
  }

  /** The problems of gem names and connections, once a validation has found them; else null. */
  List<Diagnostic> structuralProblems() {
    return structural;
  }

  void structuralProblems(List<Diagnostic> found) {
    structural = found; // a race finds them twice and keeps an equal list
  }

  List<Connection> into(String gemId) {
    return byTarget.getOrDefault(gemId, List.of());
  }

  /** The connections leaving a gem, by its id. */
  List<Connection> outOf(String gemId) {
    return bySource.getOrDefault(gemId, List.of());
  }

  /** Starts a pipeline built in Java. */
  public static PipelineBuilder builder(String name) {
    return new PipelineBuilder(name);
  }

  /** Builds a pipeline in one expression: {@code PipelineGraph.of("daily", p -> p.source(...)...)}. */
  public static PipelineGraph of(String name, Consumer<PipelineBuilder> steps) {
    PipelineBuilder b = builder(name);
    steps.accept(b);
    return b.build();
  }

  /**
   * Reads the graph a workflow file describes. Never fails on content: problems (an unknown gem type, an
   * unreadable property, a connection to a missing port) become diagnostics that {@link #validate}
   * reports.
   */
  public static PipelineGraph fromWorkflow(String name, JsonNode workflow) {
    return WorkflowReader.read(name, workflow);
  }

  public String name() {
    return name;
  }

  /** The gems in the order the file or builder lists them. */
  public List<Gem> gems() {
    return List.copyOf(gems.values());
  }

  /**
   * A gem by its name (label) or id.
   *
   * @throws IllegalArgumentException listing the gems when there is none
   */
  public Gem gem(String nameOrId) {
    return find(nameOrId).orElseThrow(() -> new IllegalArgumentException("pipeline '" + name + "' has no gem named '"
        + nameOrId + "'; its gems: " + gems.values().stream().map(Gem::name).toList()));
  }

  public Optional<Gem> find(String nameOrId) {
    Gem byId = gems.get(nameOrId);
    if (byId != null) {
      return Optional.of(byId);
    }
    return gems.values().stream().filter(g -> g.name().equals(nameOrId)).findFirst();
  }

  public List<Connection> connections() {
    return connections;
  }

  public Configuration configuration() {
    return configuration;
  }

  /** The workflow's {@code metainfo} (a copy). */
  public ObjectNode metainfo() {
    JsonNode m = document.get("metainfo");
    return m instanceof ObjectNode o ? o.deepCopy() : Json.object();
  }

  /** Where each input of a gem takes its data from, by input slug; unconnected inputs are absent. */
  public Map<String, Upstream> upstream(Gem gem) {
    Wiring w = wiring(); // the graph does not change: every gem's inputs are worked out once
    Map<String, Upstream> known = w.upstreams.get(gem);
    if (known != null) {
      return known;
    }
    // a gem of another graph (an equal copy, say): its inputs by its id here
    Map<String, Integer> positions = foreignPositions;
    if (positions == null) {
      foreignPositions = positions = positions(); // a race works them out twice
    }
    return inputsOf(gem, positions);
  }

  /** Each gem's position in {@link #gems()}, by gem id. */
  private Map<String, Integer> positions() {
    Map<String, Integer> position = new HashMap<>(gems.size() * 2);
    int i = 0;
    for (String id : gems.keySet()) {
      position.put(id, i++);
    }
    return position;
  }

  private Map<String, Upstream> inputsOf(Gem gem, Map<String, Integer> positions) {
    if (gem.inputs().isEmpty()) {
      return Map.of();
    }
    if (gem.inputs().size() == 1) {
      // the usual gem: one input, kept in one small map object
      Port in = gem.inputs().get(0);
      Upstream from = null;
      for (Connection c : into(gem.id())) {
        if (from == null && c.targetPort().equals(in.id())) {
          from = upstreamOf(c, positions);
        }
      }
      return from == null ? Map.of() : Collections.singletonMap(in.slug(), from);
    }
    Map<String, Upstream> out = new LinkedHashMap<>();
    for (Port in : gem.inputs()) {
      for (Connection c : into(gem.id())) {
        if (c.targetPort().equals(in.id())) {
          Upstream from = upstreamOf(c, positions);
          if (from != null) {
            out.putIfAbsent(in.slug(), from);
          }
        }
      }
    }
    return Collections.unmodifiableMap(out);
  }

  /** The gem and output port a connection leaves from; null when either is not in this graph. */
  private Upstream upstreamOf(Connection c, Map<String, Integer> positions) {
    Gem source = gems.get(c.source());
    if (source != null) {
      for (Port p : source.outputs()) {
        if (p.id().equals(c.sourcePort())) {
          return new Upstream(source, p, positions.get(source.id()));
        }
      }
    }
    return null;
  }

  /** The gems that read an output of this gem. */
  public List<Gem> downstream(Gem gem) {
    List<Gem> out = new ArrayList<>();
    for (Connection c : outOf(gem.id())) {
      if (gems.containsKey(c.target()) && !out.contains(gems.get(c.target()))) {
        out.add(gems.get(c.target()));
      }
    }
    return out;
  }

  /**
   * The gems in an order where every gem comes after the gems it reads from; ties keep the listed order.
   *
   * @throws IllegalStateException naming the gems on a cycle
   */
  public List<Gem> topologicalOrder() {
    Object order = sorted();
    if (order instanceof String cycle) {
      throw new IllegalStateException(cycle);
    }
    @SuppressWarnings("unchecked")
    List<Gem> gems = (List<Gem>) order;
    return gems;
  }

  /**
   * Every gem in {@link #topologicalOrder()} with its inputs' upstream gems: for a pass over the whole
   * graph that reads each gem's inputs, as code generators do, without a lookup per gem. Worked out once.
   *
   * @throws IllegalStateException naming the gems on a cycle
   */
  public List<Wired> wiredOrder() {
    List<Wired> known = wiredOrder;
    if (known == null) {
      List<Gem> order = topologicalOrder();
      Wired[] made = new Wired[order.size()];
      for (int i = 0; i < made.length; i++) {
        Gem g = order.get(i);
        made[i] = new Wired(g, upstream(g));
      }
      wiredOrder = known = List.of(made); // a race works it out twice and keeps an equal list
    }
    return known;
  }

  /** The message naming the gems that form a cycle, when they do. */
  Optional<String> cycle() {
    return sorted() instanceof String cycle ? Optional.of(cycle) : Optional.empty();
  }

  /** The gems in dependency order, or the message naming a cycle; sorted once, with the wiring. */
  private Object sorted() {
    return wiring().sorted;
  }

  /**
   * Checks the pipeline without an engine: the graph, every gem's properties, and column references
   * where schemas are known.
   *
   * @param datasets the project's datasets, to check Source and Target gems and to know schemas
   */
  public List<Diagnostic> validate(DatasetLookup datasets) {
    Validator v = new Validator(this, datasets);
    List<Diagnostic> out = v.run();
    schemaFlow = new SchemaFlow(datasets, v.looked(), v.schemas());
    return out;
  }

  /** Checks the graph and properties only, without datasets. */
  public List<Diagnostic> validate() {
    return validate(DatasetLookup.NONE);
  }

  /**
   * The output columns of each gem, by gem name, where they follow from declared dataset schemas
   * without an engine: through Reformat, Filter, Join with listed columns, Aggregate and so on. A new map
   * on every call, in dependency order, which the caller may change; its lists cannot be changed.
   *
   * <p>After {@link #validate(DatasetLookup)} with the same lookup (the same object), the schemas that
   * validation worked out are reused when the lookup still gives equal datasets for every id the
   * validation asked it for; otherwise they are worked out again.
   */
  public Map<String, List<String>> knownColumns(DatasetLookup datasets) {
    return Validator.schemasByName(wiring(), schemaFlow(datasets).schemas());
  }

  /**
   * {@link #knownColumns} by gem position: element {@code i} holds the output columns of gem {@code i}
   * of {@link #gems()} where they are known, and is empty where they are not. For a pass over the graph
   * that reads its inputs' columns through {@link Upstream#position()}, without a lookup by name. A view
   * that cannot be changed, over the schemas worked out for this lookup (reused as {@link #knownColumns}
   * says).
   */
  public List<Optional<List<String>>> knownColumnsByPosition(DatasetLookup datasets) {
    List<String>[] schemas = schemaFlow(datasets).schemas();
    return new java.util.AbstractList<>() {
      @Override
      public Optional<List<String>> get(int index) {
        return Optional.ofNullable(schemas[index]);
      }

      @Override
      public int size() {
        return schemas.length;
      }
    };
  }

  /**
   * The output columns of the gems inside a Subgraph gem of this graph, by inner gem name, where they
   * follow from the columns of the subgraph's inputs and the declared dataset schemas. Worked out on
   * every call.
   *
   * @param subgraph a Subgraph gem of this graph
   * @param inputColumns the columns of the subgraph's inputs, by input slug, where known
   * @throws IllegalArgumentException when the gem is not a Subgraph gem of this graph, or a column name given
   *     is null
   */
  public Map<String, List<String>> knownColumnsInside(Gem subgraph, Map<String, List<String>> inputColumns,
      DatasetLookup datasets) {
    PipelineGraph inner = subgraph.subgraph().orElseThrow(() -> new IllegalArgumentException(
        "gem '" + subgraph.name() + "' of pipeline '" + name + "' is not a Subgraph gem"));
    if (gems.get(subgraph.id()) == null) {
      throw new IllegalArgumentException("gem '" + subgraph.name() + "' is not a gem of pipeline '" + name + "'");
    }
    Objects.requireNonNull(inputColumns, "inputColumns");
    inputColumns.forEach((slug, cols) -> {
      for (String c : cols == null ? List.<String>of() : cols) { // (List.of's contains(null) throws)
        if (c == null) {
          throw new IllegalArgumentException("gem '" + subgraph.name() + "' of pipeline '" + name
              + "': the columns given for input " + slug + " hold a null column name");
        }
      }
    });
    Validator v = Validator.forSubgraphSchemas(subgraph, inner, datasets, inputColumns);
    v.run();
    return v.schemasByName();
  }

  private SchemaFlow schemaFlow(DatasetLookup datasets) {
    SchemaFlow last = schemaFlow;
    if (last == null || !last.holdsFor(datasets)) {
      Validator v = Validator.forSchemas(this, datasets);
      v.run();
      schemaFlow = last = new SchemaFlow(datasets, v.looked(), v.schemas());
    }
    return last;
  }

  /** Problems met reading the file. */
  List<Diagnostic> readProblems() {
    return readProblems;
  }

  ObjectNode document() {
    return document;
  }

  /** The workflow file's JSON for this graph: the document as read, with processes and connections as they are now. */
  public ObjectNode toWorkflow() {
    ObjectNode out = document.deepCopy();
    ObjectNode processes = Json.object();
    gems.values().forEach(g -> processes.set(g.id(), g.node()));
    out.set("processes", processes);
    ArrayNode cs = Json.array();
    for (Connection c : connections) {
      ObjectNode o = cs.addObject();
      o.put("id", c.id());
      o.put("source", c.source());
      o.put("sourcePort", c.sourcePort());
      o.put("target", c.target());
      o.put("targetPort", c.targetPort());
    }
    out.set("connections", cs);
    return out;
  }

  /** Graphs are equal when their workflow JSON is. */
  @Override
  public boolean equals(Object o) {
    return o instanceof PipelineGraph g && g.name.equals(name) && g.toWorkflow().equals(toWorkflow());
  }

  @Override
  public int hashCode() {
    return name.hashCode() * 31 + gems.keySet().hashCode();
  }

  @Override
  public String toString() {
    return "Pipeline[" + name + ", " + gems.size() + " gems]";
  }
}
