package io.prophecy.sdk;

import io.prophecy.sdk.pipeline.PipelineBuilder;
import io.prophecy.sdk.pipeline.PipelineGraph;
import java.util.List;
import java.util.function.Consumer;

/** A project's pipelines. Every member of the team sees and edits them. */
public interface Pipelines {
  /**
   * Builds a pipeline and writes it into the project, in Prophecy's layout.
   *
   * <pre>{@code
   * Pipeline daily = project.pipelines().create("daily", p -> p
   *     .source("Orders", orders)
   *     .filter("Paid", "Orders", "status = 'PAID'")
   *     .target("Paid_Orders", "Paid", paid));
   * }</pre>
   *
   * @throws ConflictException when the project has a pipeline of that name
   * @throws InvalidInputException when the pipeline has errors, listing them
   */
  Pipeline create(String name, Consumer<PipelineBuilder> steps);

  /** Writes a pipeline graph into the project under the graph's name. */
  Pipeline create(PipelineGraph graph);

  /** The pipelines, by name. */
  List<Pipeline> list();

  /**
   * A pipeline by name.
   *
   * @throws NotFoundException when the project has none of that name
   */
  Pipeline get(String name);
}
