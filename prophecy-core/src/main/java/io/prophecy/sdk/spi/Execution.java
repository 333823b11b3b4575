package io.prophecy.sdk.spi;

import java.time.Duration;

/** Code running on a fabric. Thread-safe. */
public interface Execution {
  /** The engine's id for the running code. */
  String id();

  ExecutionResult.Status status();

  /**
   * Waits for the code to end.
   *
   * @return the result, whatever its status
   * @throws io.prophecy.sdk.ConnectorException when the wait times out or the engine is lost
   */
  ExecutionResult await(Duration timeout) throws InterruptedException;

  /** Asks the engine to stop the code; returns without waiting. */
  void cancel();
}
