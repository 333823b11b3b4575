package io.prophecy.sdk.model;

import java.time.Instant;
import org.immutables.value.Value;

/** A stored fabric: its spec (with the provider's defaults applied) and who made it when. */
@Value.Immutable
public abstract class FabricInfo {
  public abstract String id();

  public abstract String team();

  public abstract FabricSpec spec();

  public abstract String createdBy();

  public abstract Instant createdAt();

  public String name() {
    return spec().name();
  }

  public String kind() {
    return spec().kind();
  }

  public static Builder builder() {
    return new Builder();
  }

  public static final class Builder extends ImmutableFabricInfo.Builder {}
}
