package io.prophecy.sdk.spi;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * What an {@link ExecutionSession} implements when it runs whole pipeline plans itself, counting rows and
 * taking samples per gem (the embedded Spark fabric does). Sessions without it run plans statement by
 * statement.
 */
public interface PlanExecutor {
  /**
   * Resolves every step's output schema without running the pipeline (reading a source may still read
   * its schema). Stops at the first step that does not resolve.
   */
  Analysis analyze(PipelinePlan plan);

  /** Starts running the plan and returns at once. */
  PlanExecution execute(PipelinePlan plan, Listener listener);

  /**
   * A step that failed.
   *
   * @param gem the step's gem
   * @param field the field whose probe failed, when a probe located it
   * @param message the engine's message, short
   * @param detail the engine's full error
   */
  record Failure(String gem, Optional<String> field, String message, Optional<String> detail) {
    public Failure {
      Objects.requireNonNull(gem, "gem");
      Objects.requireNonNull(field, "field");
      Objects.requireNonNull(message, "message");
      Objects.requireNonNull(detail, "detail");
    }
  }

  /**
   * Schemas per gem, in step order, up to the first failure.
   *
   * @param schemas the output columns of each step that resolved, by gem
   * @param failure the first step that did not resolve
   */
  record Analysis(Map<String, List<ResultTable.Column>> schemas, Optional<Failure> failure) {
    public Analysis {
      schemas = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(schemas)); // keeps the gems' order
      Objects.requireNonNull(failure, "failure");
    }
  }

  /**
   * What one step gave.
   *
   * @param gem the step's gem
   * @param rows rows of its output (for WRITE: rows written)
   * @param duration time the engine spent on it; where steps ran fused in one job, the job's time
   * @param sample the sample, when asked for
   */
  record Outcome(String gem, long rows, Duration duration, Optional<ResultTable> sample) {
    public Outcome {
      Objects.requireNonNull(gem, "gem");
      Objects.requireNonNull(duration, "duration");
      Objects.requireNonNull(sample, "sample");
    }
  }

  /**
   * How a plan's run ended.
   *
   * @param status SUCCEEDED, FAILED or CANCELLED
   * @param outcomes the steps that completed, in step order
   * @param failure the step that failed, when the status is FAILED
   */
  record Result(ExecutionResult.Status status, List<Outcome> outcomes, Optional<Failure> failure) {
    public Result {
      Objects.requireNonNull(status, "status");
      outcomes = List.copyOf(outcomes);
      Objects.requireNonNull(failure, "failure");
    }
  }

  /** Progress of a run; called on the executor's threads. Implementations must be quick and must not throw. */
  interface Listener {
    Listener NONE = new Listener() {};

    default void stepStarted(String gem) {}

    default void stepFinished(Outcome outcome) {}
  }

  /** A plan running. Thread-safe. */
  interface PlanExecution {
    ExecutionResult.Status status();

    /**
     * Waits for the run to end.
     *
     * @throws io.prophecy.sdk.ConnectorException when the wait times out
     */
    Result await(Duration timeout) throws InterruptedException;

    /** Asks the engine to stop; returns at once. The result then has status CANCELLED. */
    void cancel();
  }
}
