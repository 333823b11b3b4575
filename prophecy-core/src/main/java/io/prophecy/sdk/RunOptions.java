package io.prophecy.sdk;

import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;

/**
 * How to run a pipeline interactively. Immutable; each {@code with} method returns a copy.
 *
 * <pre>{@code
 * Run run = pipeline.run(fabric, RunOptions.defaults().interims(Interims.TARGETS).sampleRows(50)
 *     .configInstance("prod").config("min_amount", "100"));
 * }</pre>
 */
public final class RunOptions {
  private final Interims interims;
  private final int sampleRows;
  private final Optional<String> configInstance;
  private final Map<String, String> config;
  private final Duration timeout;
  /** Set by {@link #countRows(boolean)}; else counts follow the interim mode. */
  private final Optional<Boolean> countRows;

  private RunOptions(Interims interims, int sampleRows, Optional<String> configInstance, Map<String, String> config,
      Duration timeout, Optional<Boolean> countRows) {
    this.interims = interims;
    this.sampleRows = sampleRows;
    this.configInstance = configInstance;
    this.config = Map.copyOf(config);
    this.timeout = timeout;
    this.countRows = countRows;
  }

  /**
   * Samples on every gem (20 rows each) and so every gem's row count, the selected configuration instance,
   * a one-hour limit.
   */
  public static RunOptions defaults() {
    return new RunOptions(Interims.ALL, 20, Optional.empty(), Map.of(), Duration.ofHours(1), Optional.empty());
  }

  public RunOptions interims(Interims mode) {
    return new RunOptions(Objects.requireNonNull(mode, "mode"), sampleRows, configInstance, config, timeout, countRows);
  }

  /** At most this many rows in each sample, 1 to 10,000. */
  public RunOptions sampleRows(int rows) {
    if (rows < 1 || rows > 10_000) {
      throw new InvalidInputException("runOptions.sampleRows", "must be between 1 and 10000, was " + rows);
    }
    return new RunOptions(interims, rows, configInstance, config, timeout, countRows);
  }

  /** The configuration instance to run with, instead of the pipeline's selected one. */
  public RunOptions configInstance(String instance) {
    return new RunOptions(interims, sampleRows, Optional.of(instance), config, timeout, countRows);
  }

  /** Overrides one configuration field for this run. */
  public RunOptions config(String field, String value) {
    Map<String, String> next = new TreeMap<>(config);
    next.put(Objects.requireNonNull(field, "field"), Objects.requireNonNull(value, "value"));
    return new RunOptions(interims, sampleRows, configInstance, next, timeout, countRows);
  }

  /** How long {@link Run#await()} waits before cancelling the run. */
  public RunOptions timeout(Duration limit) {
    if (limit.isNegative() || limit.isZero()) {
      throw new InvalidInputException("runOptions.timeout", "must be positive");
    }
    return new RunOptions(interims, sampleRows, configInstance, config, limit, countRows);
  }

  /**
   * Whether every gem's output rows are counted. Unless set here, rows are counted when the run takes
   * interims (any mode but {@link Interims#NONE}): an interim is a sample and its row count, and a run
   * with interims off is meant to cost what the same query run directly costs, so it counts only the
   * gems whose output nothing else reads (Targets, and gems left unconnected), as they are written.
   *
   * <p>{@code countRows(true)} with {@link Interims#NONE} counts every gem without taking samples: Spark
   * observes each gem's output, and an observed output is a barrier to the optimizer (a filter after a
   * Source is no longer pushed into the scan), so such a run costs more. Runs that take samples count
   * every gem either way.
   */
  public RunOptions countRows(boolean count) {
    return new RunOptions(interims, sampleRows, configInstance, config, timeout, Optional.of(count));
  }

  /** Whether every gem's rows are counted: as set by {@link #countRows(boolean)}, else whether interims are on. */
  public boolean countRows() {
    return countRows.orElse(interims != Interims.NONE);
  }

  public Interims interims() {
    return interims;
  }

  public int sampleRows() {
    return sampleRows;
  }

  public Optional<String> configInstance() {
    return configInstance;
  }

  public Map<String, String> config() {
    return config;
  }

  public Duration timeout() {
    return timeout;
  }

  @Override
  public String toString() {
    return "RunOptions[interims=" + interims + ", sampleRows=" + sampleRows + ", configInstance="
        + configInstance.orElse("(selected)") + ", config=" + config.keySet() + ", timeout=" + timeout + ", countRows=" + countRows() + (countRows.isEmpty() ? " (from interims)" : "") + "]";
  }
}
