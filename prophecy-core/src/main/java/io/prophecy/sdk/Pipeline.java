package io.prophecy.sdk;

import io.prophecy.sdk.model.PipelineInfo;
import io.prophecy.sdk.pipeline.Diagnostic;
import io.prophecy.sdk.pipeline.PipelineGraph;
import java.util.List;

/** A pipeline of a project: its graph of gems, kept in the project's working copy. */
public interface Pipeline {
  /** What the project's index says of the pipeline when the handle was made. */
  PipelineInfo info();

  default String name() {
    return info().name();
  }

  /**
   * The pipeline's graph, read from its workflow file.
   *
   * @throws InvalidInputException naming the file when the pipeline has none or it is not JSON
   */
  PipelineGraph graph();

  /** Checks the pipeline against the project's datasets, without an engine. */
  List<Diagnostic> validate();

  /**
   * Checks the pipeline, then asks the fabric's engine to resolve every gem's output without running
   * it: unknown columns, functions and type errors come back naming the gem and, where it can be told,
   * the field.
   */
  List<Diagnostic> validate(Fabric fabric);

  /** The pipeline as a readable Spark SQL script: a temporary view per gem, then the writes. */
  String sparkSql();

  /**
   * The newest runs of this pipeline, newest first, with their per-gem row counts and durations (samples
   * are not part of the history).
   *
   * @param limit how many, 1 to 10,000
   */
  List<io.prophecy.sdk.model.RunRecord> runs(int limit);

  /** Runs the pipeline interactively on a fabric with the default options: samples on every gem. */
  default Run run(Fabric fabric) {
    return run(fabric, RunOptions.defaults());
  }

  /** Starts an interactive run and returns at once; {@link Run#await()} waits for it. */
  Run run(Fabric fabric, RunOptions options);

  /** Replaces the pipeline's graph; its files are rewritten where they changed. */
  Pipeline update(PipelineGraph graph);

  /** Removes the pipeline's files and its entry in the project index. */
  void delete();
}
