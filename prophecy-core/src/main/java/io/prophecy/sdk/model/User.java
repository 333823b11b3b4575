package io.prophecy.sdk.model;

import java.time.Instant;
import org.immutables.value.Value;

/** A user of the SDK, known by a unique e-mail address. */
@Value.Immutable
public abstract class User {
  /** The store's id of the user; stable for the user's life. */
  public abstract String id();

  /** The user's e-mail address, lower case. */
  public abstract String email();

  public abstract Instant createdAt();

  public static Builder builder() {
    return new Builder();
  }

  public static final class Builder extends ImmutableUser.Builder {}
}
