package io.prophecy.sdk.internal.project;

import io.prophecy.sdk.pipeline.Diagnostic;
import io.prophecy.sdk.pipeline.PipelineGraph;
import java.util.List;
import java.util.Optional;

/**
 * A pipeline read from a project: its graph when the workflow file could be read, and what was found
 * wrong with its files (missing, not listed in the index, not JSON, a Source without a dataset, an
 * unfilled placeholder). Problems inside the graph itself are reported by {@link PipelineGraph#validate}.
 *
 * @param name the pipeline's name
 * @param graph the graph, when {@code workflow.latest.json} exists and is JSON
 * @param diagnostics the problems found, each naming the file
 */
public record PipelineRead(String name, Optional<PipelineGraph> graph, List<Diagnostic> diagnostics) {
  public PipelineRead {
    diagnostics = List.copyOf(diagnostics);
  }
}
