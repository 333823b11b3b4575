package io.prophecy.sdk.spi;

import io.prophecy.sdk.ConnectorException;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * One user's connection to a fabric. Thread-safe; closing it releases everything it opened (sessions,
 * HTTP clients, remote contexts).
 */
public interface FabricConnection extends AutoCloseable {
  Set<Capability> capabilities();

  /** Opens a session that runs code interactively. */
  ExecutionSession openSession(SessionOptions options);

  /**
   * The fabric's job scheduler.
   *
   * @throws ConnectorException when the fabric cannot schedule jobs ({@link Capability#JOBS} absent)
   */
  default JobScheduler scheduler() {
    throw new ConnectorException(
        kind(), "this fabric does not schedule jobs; choose a fabric whose kind has the JOBS capability");
  }

  /**
   * This connection as a type of the connector's own API, such as {@code DatabricksConnection}, when it
   * is one. What {@code Fabric.connect()} returns is the SDK's redacting view of the connector's
   * connection; it implements the connection's public interfaces and answers {@code unwrap} with itself,
   * so that what is reached through it stays redacted.
   *
   * <pre>{@code
   * DatabricksConnection dbx = fabric.connect().unwrap(DatabricksConnection.class).orElseThrow();
   * }</pre>
   *
   * @return this connection as {@code type}, or empty when it is not one
   */
  default <T> Optional<T> unwrap(Class<T> type) {
    Objects.requireNonNull(type, "type");
    return type.isInstance(this) ? Optional.of(type.cast(this)) : Optional.empty();
  }

  /** The fabric kind, for messages. */
  String kind();

  @Override
  void close();
}
