package io.prophecy.sdk.pipeline;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Reads a workflow file's JSON into a {@link PipelineGraph}, turning every content problem into a
 * diagnostic. The JSON is kept as read, so that writing the graph back changes nothing it need not.
 */
final class WorkflowReader {
  private WorkflowReader() {}

  static PipelineGraph read(String name, JsonNode workflow) {
    ObjectNode doc = workflow instanceof ObjectNode o ? o.deepCopy() : Json.object();
    List<Diagnostic> problems = new ArrayList<>();
    if (!(workflow instanceof ObjectNode)) {
      problems.add(Diagnostic.error(null, "workflow", "the workflow is not a JSON object"));
    }
    String language = Json.text(doc.path("metainfo"), "language").orElse("python");
    Configuration config;
    try {
      config = Configuration.read(doc.path("metainfo").get("configuration"));
    } catch (RuntimeException e) {
      config = Configuration.empty();
      problems.add(Diagnostic.error(null, "metainfo.configuration", "cannot be read: " + e.getMessage()));
    }
    List<Gem> gems = gems(doc.get("processes"), language, problems);
    List<Connection> connections = connections(doc.get("connections"), problems);
    stored(doc.get("diagnostics"), gems, problems);
    return new PipelineGraph(name, doc, gems, connections, config, problems);
  }

  private static List<Gem> gems(JsonNode processes, String language, List<Diagnostic> problems) {
    List<Gem> out = new ArrayList<>();
    if (processes == null || processes.isNull()) {
      return out;
    }
    List<Map.Entry<String, JsonNode>> entries = new ArrayList<>();
    if (processes.isObject()) {
      processes.fields().forEachRemaining(entries::add);
    } else if (processes.isArray()) {
      processes.forEach(p -> entries.add(Map.entry(Json.text(p, "id").orElse(""), p)));
    } else {
      problems.add(Diagnostic.error(null, "processes", "is neither an object nor a list"));
      return out;
    }
    Set<String> ids = new HashSet<>();
    for (var e : entries) {
      if (!(e.getValue() instanceof ObjectNode node)) {
        problems.add(Diagnostic.error(e.getKey(), "processes." + e.getKey(), "is not an object"));
        continue;
      }
      Gem g = gem(e.getKey(), node, language, problems);
      if (!ids.add(g.id())) {
        problems.add(Diagnostic.error(g.name(), "id", "two processes have the id '" + g.id() + "'; the second is ignored"));
        continue;
      }
      out.add(g);
    }
    return out;
  }

  static Gem gem(String key, ObjectNode node, List<Diagnostic> problems) {
    return gem(key, node, "python", problems);
  }

  static Gem gem(String key, ObjectNode node, String language, List<Diagnostic> problems) {
    String id = Json.text(node, "id").filter(s -> !s.isBlank()).orElse(key);
    String label = Json.text(node.path("metadata"), "label").filter(s -> !s.isBlank()).orElse(id);
    String component = Json.text(node, "component").orElse("");
    if (component.isBlank()) {
      problems.add(Diagnostic.error(label, "component", "the gem has no component (gem type)"));
    }
    List<Port> inputs = ports(node.path("ports").path("inputs"), id, "in");
    List<Port> outputs = ports(node.path("ports").path("outputs"), id, "out");
    GemSpec spec;
    Optional<Diagnostic> problem = Optional.empty();
    ObjectNode props = node.get("properties") instanceof ObjectNode p ? p : Json.object();
    try {
      spec = SpecReader.read(component, props, language);
    } catch (SpecReader.BadProperty e) {
      spec = new GemSpec.Other(component, props.deepCopy());
      problem = Optional.of(Diagnostic.error(label, "properties." + e.field, e.getMessage()));
    } catch (RuntimeException e) {
      spec = new GemSpec.Other(component, props.deepCopy());
      problem = Optional.of(Diagnostic.error(label, "properties", "cannot be read: " + e.getMessage()));
    }
    Optional<PipelineGraph> sub = Optional.empty();
    if (component.equals("Subgraph")) {
      // Inner connections name the Subgraph's own id and ports where data enters and leaves it.
      List<Diagnostic> inner = new ArrayList<>();
      ObjectNode subDoc = Json.object();
      subDoc.set("processes", node.path("processes").deepCopy());
      subDoc.set("connections", node.path("connections").deepCopy());
      List<Gem> gems = gems(node.get("processes"), language, inner);
      List<Connection> cs = connections(node.get("connections"), inner);
      sub = Optional.of(new PipelineGraph(label, subDoc, gems, cs, Configuration.empty(), inner));
    }
    return new Gem(id, label, component, spec, inputs, outputs, node, sub, problem);
  }

  private static List<Port> ports(JsonNode list, String gemId, String prefix) {
    List<Port> out = new ArrayList<>();
    if (list != null && list.isArray()) {
      int i = 0;
      for (JsonNode p : list) {
        String fallback = prefix.equals("in") ? "in" + i : (i == 0 ? "out" : "out" + i);
        String slug = Json.text(p, "slug").filter(s -> !s.isBlank()).orElse(fallback);
        out.add(new Port(Json.text(p, "id").filter(s -> !s.isBlank()).orElse(gemId + "_" + slug), slug));
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

  /**
   * Diagnostics Prophecy stored in the file ({@code [{property, severity, message, ...}]}): they say what
   * Prophecy itself found wrong, and {@code pbt validate} fails on those of severity 1.
   */
  private static void stored(JsonNode list, List<Gem> gems, List<Diagnostic> problems) {
    if (list == null || !list.isArray()) {
      return;
    }
    for (JsonNode d : list) {
      String property = Json.text(d, "property").orElse("");
      String message = Json.text(d, "message").orElse("(no message)");
      int severity = d.path("severity").asInt(1);
      String gem = null;
      String prefix = "$.workflow.processes.";
      if (property.startsWith(prefix)) {
        String rest = property.substring(prefix.length());
        for (Gem g : gems) {
          if (rest.equals(g.id()) || rest.startsWith(g.id() + ".") || rest.startsWith(g.id() + "[")) {
            gem = g.name();
          }
        }
      }
      problems.add(new Diagnostic(Diagnostic.Severity.ofCode(severity), Optional.ofNullable(gem),
          property.isBlank() ? Optional.empty() : Optional.of(property), "Prophecy reported: " + message));
    }
  }
}
