package io.prophecy.sdk.internal.project;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.util.DefaultIndenter;
import com.fasterxml.jackson.core.util.DefaultPrettyPrinter;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.prophecy.sdk.InvalidInputException;
import io.prophecy.sdk.ProphecyException;
import io.prophecy.sdk.pipeline.Gem;
import io.prophecy.sdk.pipeline.GemSpec;
import io.prophecy.sdk.pipeline.PipelineGraph;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.LinkedHashSet;
import java.util.Set;

/** A pipeline's files in a Prophecy project: the workflow file, its aspects, its entry in the index. */
public final class PipelineFiles {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final DefaultPrettyPrinter PRETTY = new DefaultPrettyPrinter()
      .withArrayIndenter(DefaultIndenter.SYSTEM_LINEFEED_INSTANCE);

  private PipelineFiles() {}

  public static String workflowPath(String name) {
    return "pipelines/" + name + "/code/.prophecy/workflow.latest.json";
  }

  /** The workflow file's text for a graph: Jackson's indented form, LF line ends, a final newline. */
  public static String workflowText(PipelineGraph graph) {
    try {
      return JSON.writer(PRETTY).writeValueAsString(graph.toWorkflow()).replace("\r\n", "\n") + "\n";
    } catch (JsonProcessingException e) {
      throw new ProphecyException("Cannot write the workflow of pipeline '" + graph.name() + "': " + e.getMessage(), e);
    }
  }

  /** Writes a pipeline: workflow file, aspects and index entry; files already holding the same bytes are left alone. */
  public static void write(ProjectFiles files, PipelineGraph graph, String author, String language, Instant now) {
    String name = graph.name();
    files.writeIfChanged(workflowPath(name), workflowText(graph));
    files.writeIfChanged("pipelines/" + name + "/pbt_aspects.yml", "version: 1\n");
    ObjectNode entry = files.pipelineEntry(name).map(ObjectNode::deepCopy).orElseGet(JSON::createObjectNode);
    ObjectNode wanted = entry.deepCopy();
    wanted.put("name", name);
    if (!wanted.has("description")) {
      wanted.put("description", "");
    }
    if (!wanted.has("author")) {
      wanted.put("author", author);
    }
    wanted.put("mode", "batch");
    wanted.put("language", language);
    if (!wanted.has("createdAt")) {
      wanted.put("createdAt", now.toString());
    }
    Set<String> inputs = new LinkedHashSet<>();
    Set<String> outputs = new LinkedHashSet<>();
    collect(graph, inputs, outputs);
    ObjectNode datasets = JSON.createObjectNode();
    ArrayNode in = datasets.putArray("inputs");
    inputs.forEach(in::add);
    ArrayNode out = datasets.putArray("outputs");
    outputs.forEach(out::add);
    wanted.set("datasets", datasets);
    if (!wanted.has("subgraphs")) {
      wanted.putArray("subgraphs");
    }
    if (!wanted.has("dependencies")) {
      wanted.putObject("dependencies");
    }
    ObjectNode compare = wanted.deepCopy();
    compare.remove("modifiedAt");
    ObjectNode before = entry.deepCopy();
    before.remove("modifiedAt");
    if (!compare.equals(before)) {
      wanted.put("modifiedAt", now.toString());
      files.putPipelineEntry(name, wanted);
    }
  }

  private static void collect(PipelineGraph graph, Set<String> inputs, Set<String> outputs) {
    for (Gem g : graph.gems()) {
      if (g.spec() instanceof GemSpec.Source s && !s.datasetId().isBlank()) {
        inputs.add(s.datasetId());
      } else if (g.spec() instanceof GemSpec.Target t && !t.datasetId().isBlank()) {
        outputs.add(t.datasetId());
      }
      g.subgraph().ifPresent(sub -> collect(sub, inputs, outputs));
    }
  }

  /**
   * Reads a pipeline's graph.
   *
   * @throws InvalidInputException naming the file when it is missing or not JSON
   */
  public static PipelineGraph read(ProjectFiles files, String name) {
    Path file = files.root().resolve(workflowPath(name));
    try {
      JsonNode node = JSON.readTree(Files.readString(file, StandardCharsets.UTF_8));
      return PipelineGraph.fromWorkflow(name, node);
    } catch (JsonProcessingException e) {
      throw new InvalidInputException(file.toString(), "is not valid JSON: " + e.getOriginalMessage()
          + (e.getLocation() == null ? "" : " (line " + e.getLocation().getLineNr() + ")"), e);
    } catch (NoSuchFileException e) {
      throw new InvalidInputException(file.toString(), "is missing: the project index lists pipeline '" + name
          + "' but its workflow file is not there");
    } catch (IOException e) {
      throw new ProphecyException("Cannot read " + file + ": " + e.getMessage(), e);
    }
  }

  public static void delete(ProjectFiles files, String name) {
    files.removePipelineEntry(name);
    files.deleteFolder("pipelines/" + name);
  }
}
