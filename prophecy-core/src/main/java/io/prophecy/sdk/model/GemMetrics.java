package io.prophecy.sdk.model;

import java.time.Duration;
import org.immutables.value.Value;

/** What one gem output did in a run: rows out and time taken. */
@Value.Immutable
public abstract class GemMetrics {
  public abstract String gem();

  /** The output port's slug, {@code out} for most gems. */
  @Value.Default
  public String port() {
    return "out";
  }

  public abstract long rows();

  public abstract Duration duration();

  public static Builder builder() {
    return new Builder();
  }

  public static final class Builder extends ImmutableGemMetrics.Builder {}
}
