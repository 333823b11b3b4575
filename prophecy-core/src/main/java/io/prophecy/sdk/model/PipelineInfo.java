package io.prophecy.sdk.model;

import java.util.List;
import java.util.Optional;
import org.immutables.value.Value;

/** What a project's index says of one of its pipelines. */
@Value.Immutable
public abstract class PipelineInfo {
  /** How a pipeline processes data. */
  public enum Mode {
    BATCH,
    STREAM
  }

  public abstract String name();

  public abstract Optional<String> description();

  @Value.Default
  public Mode mode() {
    return Mode.BATCH;
  }

  /** The language of its generated code, as the project file says: {@code python}, {@code scala}, {@code sql}. */
  public abstract Optional<String> language();

  /** Names of the datasets it reads. */
  public abstract List<String> inputs();

  /** Names of the datasets it writes. */
  public abstract List<String> outputs();

  public static Builder builder() {
    return new Builder();
  }

  public static final class Builder extends ImmutablePipelineInfo.Builder {}
}
