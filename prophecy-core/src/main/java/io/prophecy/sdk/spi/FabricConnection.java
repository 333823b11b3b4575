package io.prophecy.sdk.spi;

import io.prophecy.sdk.ConnectorException;
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

  /** The fabric kind, for messages. */
  String kind();

  @Override
  void close();
}
