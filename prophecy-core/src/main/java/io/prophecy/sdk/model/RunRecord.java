package io.prophecy.sdk.model;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.immutables.value.Value;

/** One run of a pipeline as the run history keeps it: who ran what where, how it ended, per-gem metrics. */
@Value.Immutable
public abstract class RunRecord {
  /** How a run ended, or that it has not yet. */
  public enum Status {
    RUNNING,
    SUCCEEDED,
    FAILED,
    CANCELLED
  }

  public abstract String id();

  public abstract String projectId();

  public abstract String pipeline();

  public abstract String fabricId();

  public abstract String userId();

  public abstract Status status();

  public abstract Instant startedAt();

  public abstract Optional<Instant> finishedAt();

  /** The failure, naming the gem, when the run failed. */
  public abstract Optional<String> error();

  public abstract List<GemMetrics> metrics();

  public static Builder builder() {
    return new Builder();
  }

  public static final class Builder extends ImmutableRunRecord.Builder {}
}
