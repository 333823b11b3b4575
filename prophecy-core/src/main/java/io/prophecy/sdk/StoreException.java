package io.prophecy.sdk;

/**
 * The metadata store could not be read or written: the database is unreachable, locked for too long,
 * or its schema is newer than this SDK. The message says which store and what to check.
 */
public class StoreException extends ProphecyException {
  private static final long serialVersionUID = 1L;

  public StoreException(String message, Throwable cause) {
    super(message, cause);
  }

  public StoreException(String message) {
    super(message);
  }
}
