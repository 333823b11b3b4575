package io.prophecy.sdk;

import io.prophecy.sdk.model.GemMetrics;
import io.prophecy.sdk.model.RunRecord;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * An interactive run of a pipeline on a fabric. Thread-safe. Until it ends, {@link #status()} is
 * RUNNING and the metrics and interims hold what has completed so far.
 */
public interface Run {
  /** Why a run failed: the gem, the field when known, and the engine's message. */
  record Failure(String gem, Optional<String> field, String message) {
    @Override
    public String toString() {
      return "gem '" + gem + "'" + field.map(f -> " at " + f).orElse("") + ": " + message;
    }
  }

  String id();

  String pipeline();

  RunRecord.Status status();

  /**
   * Waits for the run to end, at most the run's timeout, after which it is cancelled.
   *
   * @return this run
   */
  Run await() throws InterruptedException;

  /**
   * Waits at most {@code timeout}; the run goes on if it has not ended.
   *
   * @return whether it ended
   */
  boolean await(Duration timeout) throws InterruptedException;

  /** Asks the fabric to stop the run; returns at once. */
  void cancel();

  /** Row counts and durations per gem, in the order the gems ran. */
  List<GemMetrics> metrics();

  /** The metrics as a small text table: gem, rows, milliseconds. */
  String metricsTable();

  /** Samples by gem name, for the gems the run's interim mode selected. */
  Map<String, Interim> interims();

  /**
   * The sample of a gem's output.
   *
   * @throws NotFoundException when the gem has no sample in this run, naming the gems that have
   */
  Interim interim(String gem);

  /** The failure, when the run failed. */
  Optional<Failure> failure();

  /** The run as the history keeps it. */
  RunRecord record();
}
