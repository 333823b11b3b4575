package io.prophecy.sdk;

/**
 * A connector (a fabric provider) failed: the remote engine refused, timed out or answered with an
 * error. {@link #kind()} names the connector; the cause, where there is one, is the underlying failure.
 */
public class ConnectorException extends ProphecyException {
  private static final long serialVersionUID = 1L;

  private final String kind;

  public ConnectorException(String kind, String message) {
    super("[" + kind + "] " + message);
    this.kind = kind;
  }

  public ConnectorException(String kind, String message, Throwable cause) {
    super("[" + kind + "] " + message, cause);
    this.kind = kind;
  }

  /** The fabric kind of the connector that failed, such as {@code databricks}. */
  public String kind() {
    return kind;
  }
}
