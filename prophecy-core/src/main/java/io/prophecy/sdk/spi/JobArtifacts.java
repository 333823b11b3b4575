package io.prophecy.sdk.spi;

import java.util.Map;
import org.immutables.value.Value;

/** What a deployed job runs: the built artifact of each of its pipelines, by pipeline name. */
@Value.Immutable
public abstract class JobArtifacts {
  /** A pipeline's artifact location (a wheel, a jar, a SQL script) on the fabric. */
  public abstract Map<String, String> pipelineArtifacts();

  public static Builder builder() {
    return new Builder();
  }

  public static final class Builder extends ImmutableJobArtifacts.Builder {}
}
