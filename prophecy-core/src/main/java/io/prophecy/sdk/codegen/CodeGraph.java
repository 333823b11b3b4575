package io.prophecy.sdk.codegen;

import io.prophecy.sdk.InvalidInputException;
import io.prophecy.sdk.pipeline.Connection;
import io.prophecy.sdk.pipeline.Gem;
import io.prophecy.sdk.pipeline.GemSpec;
import io.prophecy.sdk.pipeline.PipelineGraph;
import io.prophecy.sdk.pipeline.Port;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * A pipeline (or a subgraph) laid out for code: its gems in the order they run, each with the name of
 * its function, its parameters and the variables that hold its outputs, and for a subgraph the
 * variables it returns. Both generators use it, so PySpark and Scala are wired the same way.
 */
final class CodeGraph {
  /** An input of a gem: its port slug, the parameter that takes it and the variable the caller passes. */
  record Input(String slug, String param, String variable) {}

  /** An output of a gem: its port slug and the variable that holds it in the caller. */
  record Output(String slug, String variable) {}

  /**
   * A gem, ready for code.
   *
   * @param path the gem's name for messages: {@code Sub/Inner} inside a subgraph
   */
  record Node(Gem gem, String name, String path, List<Input> inputs, List<Output> outputs, Optional<CodeGraph> inner) {
    Optional<Input> input(String slug) {
      return inputs.stream().filter(i -> i.slug().equals(slug)).findFirst();
    }
  }

  final List<Node> nodes;
  /** For a subgraph: its parameters (one per input of the Subgraph gem) and the variables it returns. */
  final List<Input> params;
  final List<String> results;

  private CodeGraph(List<Node> nodes, List<Input> params, List<String> results) {
    this.nodes = List.copyOf(nodes);
    this.params = List.copyOf(params);
    this.results = List.copyOf(results);
  }

  /**
   * Lays out a pipeline.
   *
   * @param gemReserved names a gem's function may not take
   * @param paramReserved names a gem's parameters may not take
   * @throws InvalidInputException naming the gem when an input is not connected or the gems form a cycle
   */
  static CodeGraph of(PipelineGraph graph, Set<String> gemReserved, Set<String> paramReserved) {
    return build(graph, null, "", Map.of(), new CodeNames(gemReserved), paramReserved);
  }

  private static CodeGraph build(PipelineGraph graph, Gem outer, String prefix, Map<String, String> outerParams,
      CodeNames names, Set<String> paramReserved) {
    List<Gem> order;
    try {
      order = graph.topologicalOrder();
    } catch (IllegalStateException e) {
      throw new InvalidInputException("pipeline '" + graph.name() + "'", e.getMessage());
    }
    Map<String, Node> byId = new HashMap<>();
    List<Node> nodes = new ArrayList<>();
    CodeNames variables = new CodeNames(paramReserved);
    outerParams.values().forEach(variables::take);
    for (Gem gem : order) {
      String path = prefix + gem.name();
      String name = names.gem(gem.name());
      CodeNames params = new CodeNames(paramReserved);
      List<Input> inputs = new ArrayList<>();
      for (Port p : gem.inputs()) {
        inputs.add(new Input(p.slug(), params.unique(p.slug()), source(graph, outer, gem, p, path, byId, outerParams)));
      }
      List<Output> outputs = new ArrayList<>();
      for (Port p : gem.outputs()) {
        String var = gem.outputs().size() == 1 ? "df_" + name : "df_" + name + "_" + CodeNames.sanitize(p.slug());
        outputs.add(new Output(p.slug(), variables.unique(var)));
      }
      Optional<CodeGraph> inner = Optional.empty();
      if (gem.spec() instanceof GemSpec.Subgraph) {
        PipelineGraph sub = gem.subgraph().orElseThrow(() -> new InvalidInputException("gem '" + path + "'",
            "the Subgraph gem holds no graph"));
        Map<String, String> subParams = new LinkedHashMap<>();
        for (int i = 0; i < gem.inputs().size(); i++) {
          subParams.put(gem.inputs().get(i).id(), inputs.get(i).param());
        }
        // one scope for all gems: names inside a subgraph never shadow those outside it
        CodeGraph g = build(sub, gem, path + "/", subParams, names, paramReserved);
        inner = Optional.of(g);
      }
      Node node = new Node(gem, name, path, inputs, outputs, inner);
      byId.put(gem.id(), node);
      nodes.add(node);
    }
    List<Input> params = new ArrayList<>();
    List<String> results = new ArrayList<>();
    if (outer != null) {
      for (Port p : outer.inputs()) {
        params.add(new Input(p.slug(), outerParams.get(p.id()), outerParams.get(p.id())));
      }
      for (Port p : outer.outputs()) {
        results.add(result(graph, outer, p, byId));
      }
    }
    return new CodeGraph(nodes, params, results);
  }

  /** The variable that feeds an input: an upstream gem's output, or a parameter of the enclosing subgraph. */
  private static String source(PipelineGraph graph, Gem outer, Gem gem, Port in, String path, Map<String, Node> done,
      Map<String, String> outerParams) {
    for (Connection c : graph.connections()) {
      if (!c.target().equals(gem.id()) || !c.targetPort().equals(in.id())) {
        continue;
      }
      if (outer != null && c.source().equals(outer.id())) {
        String param = outerParams.get(c.sourcePort());
        if (param != null) {
          return param;
        }
      }
      Node from = done.get(c.source());
      if (from != null) {
        return output(from, c.sourcePort());
      }
    }
    throw new InvalidInputException("gem '" + path + "' input " + in.slug(), "is not connected");
  }

  private static String result(PipelineGraph graph, Gem outer, Port out, Map<String, Node> done) {
    for (Connection c : graph.connections()) {
      if (c.target().equals(outer.id()) && c.targetPort().equals(out.id()) && done.containsKey(c.source())) {
        return output(done.get(c.source()), c.sourcePort());
      }
    }
    throw new InvalidInputException("gem '" + outer.name() + "' output " + out.slug(),
        "is not connected to a gem inside the subgraph");
  }

  /** The variable of a gem's output port; a gem with a single output is read whatever the port id says. */
  private static String output(Node from, String portId) {
    List<Port> ports = from.gem().outputs();
    for (int i = 0; i < ports.size(); i++) {
      if (ports.get(i).id().equals(portId)) {
        return from.outputs().get(i).variable();
      }
    }
    if (from.outputs().size() == 1) {
      return from.outputs().get(0).variable();
    }
    throw new InvalidInputException("gem '" + from.path() + "'", "has no output port '" + portId
        + "', which a connection reads");
  }
}
