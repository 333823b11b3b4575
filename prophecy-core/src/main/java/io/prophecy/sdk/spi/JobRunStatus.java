package io.prophecy.sdk.spi;

import java.util.List;
import java.util.Optional;
import org.immutables.value.Value;

/** Where a job run is, per task. */
@Value.Immutable
public abstract class JobRunStatus {
  /** The run's life cycle, mapped from the scheduler's own states. */
  public enum State {
    PENDING,
    RUNNING,
    SUCCEEDED,
    FAILED,
    CANCELLED,
    SKIPPED
  }

  public abstract String runId();

  public abstract State state();

  public abstract Optional<String> message();

  /** One task's state, keyed by its task key (the pipeline name). */
  public record Task(String key, State state, Optional<String> message) {}

  public abstract List<Task> tasks();

  public static Builder builder() {
    return new Builder();
  }

  public static final class Builder extends ImmutableJobRunStatus.Builder {}
}
