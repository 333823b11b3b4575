package io.prophecy.sdk.model;

import java.time.Instant;
import org.immutables.value.Value;

/** A project in the registry: its spec with the resolved working copy, its team, its creator. */
@Value.Immutable
public abstract class ProjectInfo {
  public abstract String id();

  public abstract String team();

  public abstract ProjectSpec spec();

  public abstract String createdBy();

  public abstract Instant createdAt();

  public String name() {
    return spec().name();
  }

  public static Builder builder() {
    return new Builder();
  }

  public static final class Builder extends ImmutableProjectInfo.Builder {}
}
