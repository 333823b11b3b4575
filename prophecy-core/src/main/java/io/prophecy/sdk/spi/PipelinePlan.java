package io.prophecy.sdk.spi;

import io.prophecy.sdk.model.DatasetSpec;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A pipeline compiled for an interactive run: its steps in an order where each comes after the steps
 * it reads, every step a view named after its gem. Core builds plans; fabrics whose sessions implement
 * {@link PlanExecutor} run them.
 *
 * @param pipeline the pipeline's name, for messages
 * @param steps the steps, in dependency order
 * @param sampleRows at most this many rows in each sample (interim)
 * @param countRows whether every step's output rows are to be counted; when {@code false}, an executor
 *     counts only the steps nothing else reads (and those it samples), so that counting changes nothing
 *     in how the engine plans the query
 */
public record PipelinePlan(String pipeline, List<Step> steps, int sampleRows, boolean countRows) {
  /** What a step does. */
  public enum Kind {
    /** Registers {@link Step#view()} over a dataset. */
    READ,
    /** Registers {@link Step#view()} as the query {@link Step#sql()}. */
    TRANSFORM,
    /** Writes the query {@link Step#sql()} to a dataset. */
    WRITE
  }

  /**
   * A query on a single field of a gem, which the executor analyses when the gem's own query fails
   * analysis, so that the failure can name the field.
   *
   * @param field the field path, such as {@code expressions[1].expression}
   * @param sql a query over the step's inputs that uses only that field's expression
   */
  public record Probe(String field, String sql) {}

  /**
   * One step.
   *
   * @param gem the gem's name
   * @param kind what it does
   * @param view the temporary view it registers (READ, TRANSFORM); for WRITE, the view it writes
   * @param sql the query of a TRANSFORM or WRITE ({@code SELECT * FROM `view`}); empty for READ
   * @param dataset the dataset a READ or WRITE uses, its path already mapped for the fabric
   * @param writeMode for WRITE: {@code error}, {@code overwrite}, {@code append} or {@code ignore}
   * @param sample whether to return a sample of the step's output
   * @param inputs the views the step reads
   * @param probes per-field queries to locate an analysis failure
   */
  public record Step(String gem, Kind kind, String view, String sql, Optional<DatasetSpec> dataset,
      Optional<String> writeMode, boolean sample, List<String> inputs, List<Probe> probes) {
    public Step {
      Objects.requireNonNull(gem, "gem");
      Objects.requireNonNull(kind, "kind");
      Objects.requireNonNull(view, "view");
      Objects.requireNonNull(sql, "sql");
      Objects.requireNonNull(dataset, "dataset");
      Objects.requireNonNull(writeMode, "writeMode");
      inputs = List.copyOf(inputs);
      probes = List.copyOf(probes);
    }
  }

  /** A plan that counts every step's rows. */
  public PipelinePlan(String pipeline, List<Step> steps, int sampleRows) {
    this(pipeline, steps, sampleRows, true);
  }

  public PipelinePlan {
    Objects.requireNonNull(pipeline, "pipeline");
    steps = List.copyOf(steps);
    if (sampleRows < 0) {
      throw new IllegalArgumentException("sampleRows must not be negative");
    }
  }

  /** Whether any step asks for a sample. */
  public boolean samples() {
    return steps.stream().anyMatch(Step::sample);
  }

  /**
   * The steps an executor must run for the plan's effects: every WRITE step, and every step whose output
   * no other step reads. Indexes into {@link #steps()}, in step order.
   */
  public List<Integer> terminals() {
    java.util.Set<String> read = new java.util.HashSet<>();
    for (Step s : steps) {
      read.addAll(s.inputs());
      if (s.kind() == Kind.WRITE) {
        read.add(s.view());
      }
    }
    List<Integer> out = new java.util.ArrayList<>();
    for (int i = 0; i < steps.size(); i++) {
      Step s = steps.get(i);
      if (s.kind() == Kind.WRITE || !read.contains(s.view())) {
        out.add(i);
      }
    }
    return List.copyOf(out);
  }
}
