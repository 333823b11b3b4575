package io.prophecy.sdk.model;

import java.time.Instant;
import org.immutables.value.Value;

/** One user's membership of a team. */
@Value.Immutable
public abstract class Membership {
  public abstract User user();

  public abstract Role role();

  /** When the user joined the team. */
  public abstract Instant since();

  public static Builder builder() {
    return new Builder();
  }

  public static final class Builder extends ImmutableMembership.Builder {}
}
