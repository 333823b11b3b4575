package io.prophecy.sdk.pipeline;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.util.DefaultIndenter;
import com.fasterxml.jackson.core.util.DefaultPrettyPrinter;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectWriter;

/**
 * Writes a pipeline's {@code workflow.latest.json} the way Prophecy does: two-space indentation,
 * {@code "key" : value}, arrays of objects as {@code [ {...}, {...} ]}, empty containers as
 * {@code { }} and {@code [ ]}, {@code \n} line ends and no newline after the closing brace. Keys keep
 * the order they were read or built in, so the text is deterministic.
 *
 * <p>A file read with {@link #readTree(String)} and written back unchanged gives the same bytes when
 * it was in Prophecy's formatting: numbers keep their spelling ({@code 2146.6000064282753} stays so).
 *
 * <pre>{@code
 * PipelineGraph g = PipelineGraph.fromWorkflow("daily", WorkflowWriter.readTree(text));
 * String again = WorkflowWriter.write(g);   // equals text for a file Prophecy wrote
 * }</pre>
 */
public final class WorkflowWriter {
  private static final ObjectMapper MAPPER = Json.MAPPER;
  private static final ObjectWriter WRITER = MAPPER.writer(
      new DefaultPrettyPrinter().withObjectIndenter(new DefaultIndenter("  ", "\n")));

  private WorkflowWriter() {}

  /** The workflow file's text for a graph. */
  public static String write(PipelineGraph graph) {
    return write(graph.toWorkflow());
  }

  /** The text of any workflow JSON in Prophecy's formatting. */
  public static String write(JsonNode workflow) {
    try {
      return WRITER.writeValueAsString(workflow);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("a JSON tree could not be written: " + e.getOriginalMessage(), e);
    }
  }

  /**
   * Parses workflow text, keeping the spelling of numbers so that {@link #write} gives the same text.
   *
   * @throws JsonProcessingException when the text is not JSON; its location names the line
   */
  public static JsonNode readTree(String text) throws JsonProcessingException {
    return MAPPER.readTree(text);
  }
}
