package io.prophecy.sdk.model;

import java.time.Instant;
import java.util.Optional;
import org.immutables.value.Value;

/**
 * One entry of the audit log: who did what to which object, when, and how it ended. The detail never
 * holds a secret.
 */
@Value.Immutable
public abstract class AuditEvent {
  /** How an audited call ended. */
  public enum Outcome {
    SUCCESS,
    /** Refused by a permission check (including objects the actor may not see). */
    DENIED,
    /** Failed for another reason: invalid input, a conflict, a connector failure. */
    FAILED
  }

  /** Increasing position in the log. */
  public abstract long sequence();

  public abstract Instant at();

  /** The acting user's e-mail, or {@code host} for calls the host application makes as itself. */
  public abstract String actor();

  /** A dotted action name such as {@code fabric.create} or {@code credential.use}. */
  public abstract String action();

  /** The object acted on, such as {@code team:analytics/fabric:dev}. */
  public abstract String target();

  public abstract Optional<String> teamId();

  public abstract Outcome outcome();

  public abstract Optional<String> detail();

  public static Builder builder() {
    return new Builder();
  }

  public static final class Builder extends ImmutableAuditEvent.Builder {}
}
