package io.prophecy.sdk.pipeline;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Reads a workflow file's JSON into a {@link PipelineGraph}, turning every content problem into a diagnostic. */
final class WorkflowReader {
  private WorkflowReader() {}

  static PipelineGraph read(String name, JsonNode workflow) {
    ObjectNode doc = workflow instanceof ObjectNode o ? o.deepCopy() : Json.object();
    List<Diagnostic> problems = new ArrayList<>();
    if (!(workflow instanceof ObjectNode)) {
      problems.add(Diagnostic.error(null, "workflow", "the workflow is not a JSON object"));
    }
    Configuration config = Configuration.read(doc.path("metainfo").get("configuration"));
    List<Gem> gems = gems(doc.get("processes"), problems);
    List<Connection> connections = connections(doc.get("connections"), problems);
    return new PipelineGraph(name, doc, gems, connections, config, problems);
  }

  private static List<Gem> gems(JsonNode processes, List<Diagnostic> problems) {
    List<Gem> out = new ArrayList<>();
    if (processes == null || processes.isNull()) {
      return out;
    }
    List<java.util.Map.Entry<String, JsonNode>> entries = new ArrayList<>();
    if (processes.isObject()) {
      processes.fields().forEachRemaining(entries::add);
    } else if (processes.isArray()) {
      processes.forEach(p -> entries.add(java.util.Map.entry(Json.text(p, "id").orElse(""), p)));
    } else {
      problems.add(Diagnostic.error(null, "processes", "is neither an object nor a list"));
      return out;
    }
    for (var e : entries) {
      if (!(e.getValue() instanceof ObjectNode node)) {
        problems.add(Diagnostic.error(e.getKey(), "processes." + e.getKey(), "is not an object"));
        continue;
      }
      out.add(gem(e.getKey(), node, problems));
    }
    return out;
  }

  static Gem gem(String key, ObjectNode node, List<Diagnostic> problems) {
    String id = Json.text(node, "id").orElse(key);
    String label = Json.text(node.path("metadata"), "label").orElse(id);
    String component = Json.text(node, "component").orElse("");
    if (component.isBlank()) {
      problems.add(Diagnostic.error(label, "component", "the gem has no component (gem type)"));
    }
    List<Port> inputs = ports(node.path("ports").path("inputs"), id);
    List<Port> outputs = ports(node.path("ports").path("outputs"), id);
    GemSpec spec;
    Optional<Diagnostic> problem = Optional.empty();
    try {
      spec = SpecReader.read(component, node.get("properties"));
    } catch (SpecReader.BadProperty e) {
      spec = new GemSpec.Other(component, node.get("properties") instanceof ObjectNode p ? p.deepCopy() : Json.object());
      problem = Optional.of(Diagnostic.error(label, e.field, e.getMessage()));
    } catch (RuntimeException e) {
      spec = new GemSpec.Other(component, Json.object());
      problem = Optional.of(Diagnostic.error(label, "properties", "cannot be read: " + e.getMessage()));
    }
    Optional<PipelineGraph> sub = Optional.empty();
    if (component.equals("Subgraph")) {
      List<Diagnostic> inner = new ArrayList<>();
      ObjectNode subDoc = Json.object();
      subDoc.set("processes", node.path("processes").deepCopy());
      subDoc.set("connections", node.path("connections").deepCopy());
      List<Gem> gems = gems(node.get("processes"), inner);
      List<Connection> cs = connections(node.get("connections"), inner);
      sub = Optional.of(new PipelineGraph(label, subDoc, gems, cs, Configuration.empty(), inner));
    }
    return new Gem(id, label, component, spec, inputs, outputs, node, sub, problem);
  }

  private static List<Port> ports(JsonNode list, String gemId) {
    List<Port> out = new ArrayList<>();
    if (list != null && list.isArray()) {
      int i = 0;
      for (JsonNode p : list) {
        String slug = Json.text(p, "slug").orElse(list == null ? "in" + i : "port" + i);
        out.add(new Port(Json.text(p, "id").orElse(gemId + "_" + slug), slug));
        i++;
      }
    }
    return out;
  }

  private static List<Connection> connections(JsonNode list, List<Diagnostic> problems) {
    List<Connection> out = new ArrayList<>();
    if (list == null || list.isNull()) {
      return out;
    }
    if (!list.isArray()) {
      problems.add(Diagnostic.error(null, "connections", "is not a list"));
      return out;
    }
    int i = 0;
    for (JsonNode c : list) {
      Optional<String> source = Json.text(c, "source");
      Optional<String> target = Json.text(c, "target");
      if (source.isEmpty() || target.isEmpty()) {
        problems.add(Diagnostic.error(null, "connections[" + i + "]", "a connection needs a source and a target"));
      } else {
        out.add(new Connection(Json.text(c, "id").orElse("c" + i), source.get(), Json.text(c, "sourcePort").orElse(""),
            target.get(), Json.text(c, "targetPort").orElse("")));
      }
      i++;
    }
    return out;
  }
}
