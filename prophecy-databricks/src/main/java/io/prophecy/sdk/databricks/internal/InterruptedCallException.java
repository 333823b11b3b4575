package io.prophecy.sdk.databricks.internal;

import io.prophecy.sdk.ConnectorException;
import io.prophecy.sdk.databricks.DatabricksFabricProvider;

/**
 * A call or wait was cut by the thread's interrupt. The thread's interrupt flag is set again whenever
 * this is thrown; code that may throw {@link InterruptedException} turns it into one.
 */
public final class InterruptedCallException extends ConnectorException {
  private static final long serialVersionUID = 1L;

  InterruptedCallException(String message, Throwable cause) {
    super(DatabricksFabricProvider.KIND, message, cause);
  }

  /** The same interruption as an {@link InterruptedException}, the flag cleared as that contract asks. */
  public InterruptedException asInterruptedException() {
    Thread.interrupted();
    InterruptedException e = new InterruptedException(getMessage());
    e.initCause(this);
    return e;
  }
}
