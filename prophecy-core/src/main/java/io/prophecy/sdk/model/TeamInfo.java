package io.prophecy.sdk.model;

import java.time.Instant;
import org.immutables.value.Value;

/** What the store knows of a team. */
@Value.Immutable
public abstract class TeamInfo {
  public abstract String id();

  public abstract String name();

  /** Whether this is a user's personal team, which has that user as its only member. */
  public abstract boolean personal();

  public abstract Instant createdAt();

  public static Builder builder() {
    return new Builder();
  }

  public static final class Builder extends ImmutableTeamInfo.Builder {}
}
