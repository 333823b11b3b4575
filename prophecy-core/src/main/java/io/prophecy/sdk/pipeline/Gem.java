package io.prophecy.sdk.pipeline;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * One gem of a pipeline: a process of the workflow file. Immutable. It keeps the process's JSON as
 * read, so that keys the SDK does not know (positions, gem library, UI state) are written back as they
 * were; it keeps it as compact text (a fraction of a JSON tree's memory), since only writing the file
 * reads it.
 */
public final class Gem {
  private final String id;
  private final String name;
  private final String component;
  private final GemSpec spec;
  private final List<Port> inputs;
  private final List<Port> outputs;
  /** The process as the workflow file holds it, kept as JSON text: read only to write the file. */
  private final byte[] json;
  /** The process as a tree instead, when its text would not read back as it (a NaN number); else null. */
  private final ObjectNode tree;
  private final Optional<PipelineGraph> subgraph;
  private final Optional<Diagnostic> problem;

  Gem(String id, String name, String component, GemSpec spec, List<Port> inputs, List<Port> outputs, ObjectNode node,
      Optional<PipelineGraph> subgraph, Optional<Diagnostic> problem) {
    this.id = Objects.requireNonNull(id, "id");
    this.name = Objects.requireNonNull(name, "name");
    this.component = Objects.requireNonNull(component, "component");
    this.spec = Objects.requireNonNull(spec, "spec");
    this.inputs = List.copyOf(inputs);
    this.outputs = List.copyOf(outputs);
    byte[] text = Json.bytes(node);
    if (Json.mayNotReadBack(text) && !Json.object(text).equals(node)) {
      this.json = null;
      this.tree = node.deepCopy();
    } else {
      this.json = text;
      this.tree = null;
    }
    this.subgraph = subgraph;
    this.problem = problem;
  }

  /** The process id, unique in the pipeline (such as {@code Join_98619}). */
  public String id() {
    return id;
  }

  /** The gem's label, which people see and the API names gems by. */
  public String name() {
    return name;
  }

  /** The gem type: {@code Source}, {@code Reformat}, {@code Join}, ... as the workflow file names it. */
  public String component() {
    return component;
  }

  /** What the gem does, typed. */
  public GemSpec spec() {
    return spec;
  }

  public List<Port> inputs() {
    return inputs;
  }

  public List<Port> outputs() {
    return outputs;
  }

  /** The input port with this slug ({@code in0}, ...). */
  public Optional<Port> input(String slug) {
    return inputs.stream().filter(p -> p.slug().equals(slug)).findFirst();
  }

  /** The output port with this slug ({@code out}, ...). */
  public Optional<Port> output(String slug) {
    return outputs.stream().filter(p -> p.slug().equals(slug)).findFirst();
  }

  /** The nested graph of a Subgraph gem. */
  public Optional<PipelineGraph> subgraph() {
    return subgraph;
  }

  /** The gem's properties as the workflow file holds them (a copy). */
  public JsonNode properties() {
    JsonNode p = node().get("properties");
    return p == null ? Json.object() : p;
  }

  /** The whole process as the workflow file holds it (a copy). */
  public ObjectNode toJson() {
    return node();
  }

  /** A problem found reading the gem from a file, such as an unreadable property. */
  Optional<Diagnostic> problem() {
    return problem;
  }

  /** The process as a new tree, which the caller may change. */
  ObjectNode node() {
    return json != null ? Json.object(json) : tree.deepCopy();
  }

  @Override
  public String toString() {
    return component + "[" + name + "]";
  }
}
