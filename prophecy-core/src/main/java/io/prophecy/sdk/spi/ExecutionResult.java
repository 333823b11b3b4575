package io.prophecy.sdk.spi;

import java.util.List;
import java.util.Optional;
import org.immutables.value.Value;

/** What running a code unit gave: its status, text output, tables and error. */
@Value.Immutable
public abstract class ExecutionResult {
  /** Where an execution is. */
  public enum Status {
    QUEUED,
    RUNNING,
    SUCCEEDED,
    FAILED,
    CANCELLED;

    public boolean isFinal() {
      return this == SUCCEEDED || this == FAILED || this == CANCELLED;
    }
  }

  public abstract Status status();

  public abstract Optional<String> text();

  public abstract List<ResultTable> tables();

  /** The engine's error message when the status is FAILED. */
  public abstract Optional<String> error();

  /** The engine's trace or cause for the error. */
  public abstract Optional<String> errorDetail();

  public static Builder builder() {
    return new Builder();
  }

  public static final class Builder extends ImmutableExecutionResult.Builder {}
}
