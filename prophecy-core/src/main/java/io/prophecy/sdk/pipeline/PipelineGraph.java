package io.prophecy.sdk.pipeline;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.prophecy.sdk.model.DatasetSpec;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
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
  /** The gems in dependency order, or the message naming a cycle; worked out on first use. */
  private volatile Object order;
  /** Every gem's {@link #upstream}, by gem id; worked out on first use. */
  /** Each gem's inputs, by the gem itself: one identity lookup, and a gem of another graph is not found. */
  private volatile Map<Gem, Map<String, Upstream>> upstreams;
  /** {@link #positions()}, kept once {@link #upstream} is asked about a gem of another graph. */
  private volatile Map<String, Integer> foreignPositions;
  private volatile Wiring wiring;
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

    private Wiring(PipelineGraph g) {
      gems = g.gems.values().toArray(new Gem[0]);
      Map<String, Integer> position = g.positions();
      sources = new Gem[g.connections.size()];
      targets = new Gem[g.connections.size()];
      into = new Connection[gems.length][];
      outOf = new Connection[gems.length][];
      for (int i = 0; i < gems.length; i++) {
        into[i] = g.into(gems[i].id()).toArray(NONE);
        outOf[i] = g.outOf(gems[i].id()).toArray(NONE);
      }
      for (int c = 0; c < sources.length; c++) {
        Connection conn = g.connections.get(c);
        sources[c] = g.gems.get(conn.source());
        targets[c] = g.gems.get(conn.target());
      }
      inputSlugs = new String[gems.length][];
      inputGems = new int[gems.length][];
      for (int i = 0; i < gems.length; i++) {
        Map<String, Upstream> up = g.upstream(gems[i]);
        inputSlugs[i] = new String[up.size()];
        inputGems[i] = new int[up.size()];
        int j = 0;
        for (var e : up.entrySet()) {
          inputSlugs[i][j] = e.getKey();
          inputGems[i][j++] = e.getValue().position();
        }
      }
      problems = new Diagnostic[gems.length];
      for (int i = 0; i < gems.length; i++) {
        problems[i] = gems[i].problem().orElse(null);
      }
      Object sorted = g.sorted();
      if (sorted instanceof List<?> list) {
        order = new int[list.size()];
        for (int k = 0; k < order.length; k++) {
          order[k] = position.get(((Gem) list.get(k)).id());
        }
      } else {
        order = null;
      }
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
    Map<Gem, Map<String, Upstream>> all = upstreams;
    if (all == null) {
      // the graph does not change: work out every gem's inputs once (a race computes equal maps)
      Map<Gem, Map<String, Upstream>> made = new java.util.IdentityHashMap<>(gems.size());
      Map<String, Integer> positions = positions();
      gems.values().forEach(g -> made.put(g, inputsOf(g, positions)));
      upstreams = all = made;
    }
    Map<String, Upstream> known = all.get(gem);
    if (known != null) {
      return known;
    }
    // a gem of another graph (an equal copy, say): its inputs by its id here
    Map<String, Integer> positions = foreignPositions;
    if (positions == null) {
      foreignPositions = positions = positions();
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

  /** The gems in dependency order, or the message naming a cycle; sorted once. */
  private Object sorted() {
    Object order = this.order;
    if (order == null) {
      try {
        order = sort();
      } catch (IllegalStateException e) {
        order = e.getMessage();
      }
      this.order = order; // the graph does not change; a race sorts twice and keeps an equal answer
    }
    return order;
  }

  private List<Gem> sort() {
    Map<String, Integer> indegree = new HashMap<>();
    Map<String, List<String>> next = new HashMap<>();
    gems.keySet().forEach(id -> indegree.put(id, 0));
    for (Connection c : connections) {
      if (gems.containsKey(c.source()) && gems.containsKey(c.target())) {
        next.computeIfAbsent(c.source(), k -> new ArrayList<>()).add(c.target());
        indegree.merge(c.target(), 1, Integer::sum);
      }
    }
    Deque<String> ready = new ArrayDeque<>();
    gems.keySet().stream().filter(id -> indegree.get(id) == 0).forEach(ready::add);
    List<Gem> out = new ArrayList<>();
    while (!ready.isEmpty()) {
      String id = ready.poll();
      out.add(gems.get(id));
      for (String t : next.getOrDefault(id, List.of())) {
        if (indegree.merge(t, -1, Integer::sum) == 0) {
          ready.add(t);
        }
      }
    }
    if (out.size() < gems.size()) {
      // what is left holds the cycles and the gems downstream of them: prune those that lead nowhere
      java.util.Set<String> left = new java.util.HashSet<>(gems.keySet());
      out.forEach(g -> left.remove(g.id()));
      boolean pruned = true;
      while (pruned) {
        pruned = left.removeIf(id -> next.getOrDefault(id, List.of()).stream().noneMatch(left::contains));
      }
      TreeSet<String> cycle = new TreeSet<>();
      left.forEach(id -> cycle.add(gems.get(id).name()));
      throw new IllegalStateException("the gems " + cycle + " form a cycle");
    }
    return List.copyOf(out);
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
